"""Pictures, videos and voice notes that came with reports, or with published fact-checks.

A `Medium` is one file of one report (or one fact-check of the known-media bank). Its bytes live
in the media storage (`baraza.media.storage`), never in the database: the original, encrypted,
kept as evidence; a re-encoded derivative without any metadata, which is all reviewers see; a
thumbnail. The same content sent with many reports is stored once (the files are named by the
original's SHA-256) and hashed once.

Who sees a medium is who sees its report (TLP, in the queryset); fact-check media are public, as
the fact-checks are.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baraza.accounts.models import Organisation, member_of
from baraza.accounts.permissions import ActionableQuerySet
from baraza.intake.models import Report
from baraza.matching.models import FactCheck


class Kind(models.TextChoices):
    IMAGE = "image", _("Picture")
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")


class MediumStatus(models.TextChoices):
    PENDING = "pending", _("Being processed")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be processed")


class MediumQuerySet(ActionableQuerySet["Medium"]):
    def visible_to(self, user: object) -> Self:
        """The media of reports the person may see (TLP), and the fact-checks' media for
        members; anonymous visitors see none (a reporter's own picture is not shown back)."""
        if member_of(user) is None:
            return self.none()
        visible_reports = Report.objects.visible_to(user).values("pk")
        return self.filter(Q(report__in=visible_reports) | Q(factcheck__isnull=False))

    def of_reports(self) -> Self:
        return self.filter(report__isnull=False)


class Medium(models.Model):
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="media"
    )
    factcheck = models.ForeignKey(
        FactCheck, null=True, blank=True, on_delete=models.CASCADE, related_name="media"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the owner: the report's organisation, or who imported the fact-check",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="order within the report")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    mime = models.CharField(max_length=64, help_text="sniffed from the bytes")
    sha256 = models.CharField(max_length=64, db_index=True, help_text="of the original bytes")
    size = models.PositiveBigIntegerField(help_text="bytes of the original")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=MediumStatus.choices, default=MediumStatus.PENDING
    )
    failure = models.CharField(max_length=200, blank=True, help_text="why processing failed")
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="a worker is processing it until then"
    )
    derivative_mime = models.CharField(max_length=64, blank=True)
    has_thumbnail = models.BooleanField(default=False)
    pdq = models.CharField(max_length=64, blank=True, help_text="PDQ of a picture, 64 hex digits")
    pdq_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    pdq_turns = models.JSONField(
        default=list,
        blank=True,
        help_text="PDQ of the picture turned and flipped (7 hashes): finds mirrored copies",
    )
    frame_hashes = models.JSONField(
        default=list, blank=True, help_text="a video's vPDQ frames: [second, pdq, quality]"
    )
    audio_fingerprint = models.JSONField(
        default=list, blank=True, help_text="Chromaprint's raw fingerprint of the sound"
    )
    ocr_text = models.TextField(blank=True, help_text="text read in a picture")
    created_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = MediumQuerySet.as_manager()

    class Meta:
        ordering = ["report_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, factcheck__isnull=True)
                | Q(report__isnull=True, factcheck__isnull=False),
                name="medium_of_a_report_or_a_factcheck",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="medium_pending",
            ),
            models.Index(fields=["pdq"], condition=~Q(pdq=""), name="medium_pdq"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"

    @property
    def is_ready(self) -> bool:
        return self.status == MediumStatus.READY

    @property
    def blurred_by_default(self) -> bool:
        return self.kind in (Kind.IMAGE, Kind.VIDEO)

    def hashes(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "pdq": self.pdq or None}


class Viewing(models.Model):
    """A member's choice about sensitive media: blurred until they ask (the default, as in
    Meedan Check), or shown at once."""

    member = models.OneToOneField(
        "accounts.Member", on_delete=models.CASCADE, related_name="media_viewing"
    )
    show_unblurred = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member_id}: {'unblurred' if self.show_unblurred else 'blurred'}"
