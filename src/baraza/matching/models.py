from __future__ import annotations

from django.db import models
from django.utils import timezone


class FactCheck(models.Model):
    """A published verdict on a claim (schema.org ClaimReview), ours or a partner's.

    Fact-checks are public by nature, so they carry no TLP."""

    claim = models.TextField(help_text="claimReviewed")
    rating = models.CharField(max_length=200, blank=True, help_text="reviewRating alternateName")
    url = models.URLField(max_length=2000, blank=True, help_text="the fact-check article")
    author = models.CharField(
        max_length=200, blank=True, help_text="the fact-checking organisation"
    )
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    appearances = models.JSONField(default=list, blank=True, help_text="where the claim appeared")
    fingerprint = models.CharField(max_length=64, unique=True, help_text="url, or claim + author")
    imported_by = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return f"{self.rating or 'fact-check'}: {self.claim[:80]}"
