from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baraza.accounts.access import TLPProtected, TLPQuerySet
from baraza.intake.models import Category, Election, Platform, Report


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class CaseQuerySet(TLPQuerySet["Case"]):
    """Cases are visible under their own TLP, which is that of the reports in them: a case
    only ever groups reports of one audience (see `cases.keys.audience_scope`)."""


class Case(TLPProtected):
    """The unit of work: reports that concern the same content or the same claim.

    Its TLP, owner and descriptive fields come from the report that opened it.
    """

    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.NEW)
    category = models.CharField(max_length=32, choices=Category.choices)
    platform = models.CharField(max_length=32, choices=Platform.choices)
    country = models.CharField(max_length=2)
    language = models.CharField(max_length=16, blank=True)
    election = models.ForeignKey(
        Election, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    priority = models.FloatField(default=0.0, db_index=True, help_text="see cases/priority.py")
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_cases",
        help_text="set when a reviewer merged this case into another; it is then closed",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Case {self.pk}"


class CaseReport(models.Model):
    """A report's place in a case, and why it was put there."""

    class Reason(models.TextChoices):
        OPENED = "opened", _("First report of the case")
        SAME_URL = "url", _("Same content (same link)")
        SAME_TEXT = "text", _("Same content (same text)")
        SIMILAR = "similar", _("Same claim (similar meaning)")
        SAME_MEDIA = "media", _("Same content (same file)")
        SIMILAR_MEDIA = "similar_media", _("Same picture, video or sound")
        MERGED = "merged", _("Moved here by a reviewer (merge)")
        SPLIT = "split", _("Moved here by a reviewer (split)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="case_link")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    similarity = models.FloatField(
        null=True, blank=True, help_text="cosine to the nearest report, when joined by meaning"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "id"]

    def __str__(self) -> str:
        return f"report {self.report_id} in case {self.case_id} ({self.reason})"


class ContentKey(models.Model):
    """A fingerprint of content (canonical URL or normalised text) and the one case that owns it.

    The unique constraint is what keeps two workers from opening two cases for the same content.
    """

    class Kind(models.TextChoices):
        URL = "url", "URL"
        TEXT = "text", "text"
        MEDIA = "media", "media"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    digest = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="content_keys")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "digest"], name="content_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.digest[:12]} → case {self.case_id}"


class ReportVector(models.Model):
    """A report's embedding (e5 "query:" mode, symmetric), with the model that made it.

    The truth from which every process's nearest-neighbour index is derived; a vector of
    another model is re-embedded, never compared (see cases/similarity.py)."""

    report = models.OneToOneField(
        Report, primary_key=True, on_delete=models.CASCADE, related_name="vector"
    )
    model_id = models.CharField(max_length=200)
    vector = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"vector of report {self.report_id} ({self.model_id})"


class CaseSuggestion(models.Model):
    """ "This case may be the same claim as that one": a link between the suggest and auto-link
    thresholds, or from a short text, for a reviewer to confirm (merge) or reject. A rejection
    is remembered: the pair is never suggested again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a reviewer")
        CONFIRMED = "confirmed", _("Confirmed: merged")
        REJECTED = "rejected", _("Rejected: different claims")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suggestions")
    candidate = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suggested_for")
    similarity = models.FloatField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-similarity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "candidate"], name="case_suggestion_unique"),
            models.CheckConstraint(
                condition=~models.Q(case=models.F("candidate")), name="case_suggestion_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} ~ case {self.candidate_id} ({self.status})"
