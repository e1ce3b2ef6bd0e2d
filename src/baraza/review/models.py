from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    CATEGORY = "category", _("Harm category")
    VERDICT = "verdict", _("Verdict")
    SEVERITY = "severity", _("Severity")
    DISARM_TACTIC = "disarm_tactic", _("DISARM tactic")
    DISARM_TECHNIQUE = "disarm_technique", _("DISARM technique")
    DSA_CATEGORY = "dsa_category", _("DSA statement-of-reasons category")


class TermQuerySet(models.QuerySet["Term"]):
    def active(self) -> TermQuerySet:
        return self.filter(active=True)


class Term(models.Model):
    """One entry of a taxonomy the reviewers use: data, not code, so the coalition's admins can
    reword, retire or add entries (and load newer DISARM releases) without a release.

    Entries are retired (`active=False`), never deleted, so old assessments keep their meaning."""

    scheme = models.CharField(max_length=32, choices=Scheme.choices)
    code = models.CharField(max_length=80, help_text="stable id: T0023, false, 3, ...")
    label = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="a DISARM technique's tactic, or a sub-technique's technique",
    )
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    source = models.CharField(max_length=200, blank=True, help_text="attribution")

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="term_unique")]

    def __str__(self) -> str:
        return f"{self.code} · {self.label}"
