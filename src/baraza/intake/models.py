from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baraza.accounts.access import TLPProtected, TLPQuerySet
from baraza.intake import tracking


class Election(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    campaign_start = models.DateField(null=True, blank=True)
    silence_start = models.DateField(null=True, blank=True)
    voting_day = models.DateField()
    results_day = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-voting_day"]

    def __str__(self) -> str:
        return self.name


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    THREADS = "threads", "Threads"
    WHATSAPP = "whatsapp", "WhatsApp"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    TELEGRAM = "telegram", "Telegram"
    SNAPCHAT = "snapchat", "Snapchat"
    LINKEDIN = "linkedin", "LinkedIn"
    REDDIT = "reddit", "Reddit"
    BLUESKY = "bluesky", "Bluesky"
    KWAI = "kwai", "Kwai"
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


class Category(models.TextChoices):
    DISINFORMATION = "disinformation", _("Disinformation")
    HATE_SPEECH = "hate_speech", _("Hate speech")
    INCITEMENT = "incitement", _("Incitement to violence")
    GENDERED_VIOLENCE = (
        "gendered_violence",
        _("Online violence against women or gender-based violence"),
    )
    SYNTHETIC_MEDIA = "synthetic_media", _("Deepfake or synthetic media")
    VOTER_SUPPRESSION = (
        "voter_suppression",
        _("Voter suppression or false information about voting"),
    )
    IMPERSONATION = "impersonation", _("Impersonation of a candidate or election body")
    ELECTION_INTEGRITY = "election_integrity", _("Attack on the election's integrity")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    IMPORT = "import", _("Bulk import")
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class ReportStatus(models.TextChoices):
    """What a reporter sees by tracking code; kept in step with the report's case."""

    RECEIVED = "received", _("Received")
    NEW = "new", _("Waiting for triage")
    TRIAGED = "triaged", _("Triaged")
    IN_REVIEW = "in_review", _("Being reviewed")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


class ReportQuerySet(TLPQuerySet["Report"]):
    pass


class Report(TLPProtected):
    """One submission about online content. The owner (`organisation`) is the submitting
    partner, or the host organisation for public submissions."""

    tracking_code = models.CharField(max_length=tracking.LENGTH, unique=True, editable=False)
    text = models.TextField(blank=True)
    url = models.URLField(max_length=2000, blank=True)
    platform = models.CharField(max_length=32, choices=Platform.choices)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    language = models.CharField(max_length=16, blank=True, help_text="BCP 47 primary subtag")
    category = models.CharField(max_length=32, choices=Category.choices)
    election = models.ForeignKey(
        Election, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    media_count = models.PositiveSmallIntegerField(
        default=0, help_text="pictures, videos and voice notes sent with the report"
    )
    contact_encrypted = models.TextField(blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_key = models.CharField(max_length=128, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    public_outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(url="") | Q(media_count__gt=0),
                name="report_has_text_url_or_media",
            ),
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="report_idempotency_key_unique_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return tracking.display(self.tracking_code)

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_encrypted)
