from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who can log in. Their organisation and role live on `Member`."""

    @property
    def member(self) -> Member | None:
        try:
            return self.membership
        except Member.DoesNotExist:
            return None


class Organisation(models.Model):
    class Kind(models.TextChoices):
        FACT_CHECKER = "fact_checker", _("Fact-checker")
        CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
        ELECTION_BODY = "election_body", _("Election body")
        MEDIA = "media", _("Media")
        ACADEMIC = "academic", _("Academic institution")
        PLATFORM = "platform", _("Platform")
        REGULATOR = "regulator", _("Regulator")
        POLICE = "police", _("Police")
        PRESS_COUNCIL = "press_council", _("Press council")
        SECRETARIAT = "secretariat", _("Coalition secretariat")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.CIVIL_SOCIETY)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MONITOR = "monitor", _("Social-media monitor")
    REVIEWER = "reviewer", _("Reviewer")
    SECRETARIAT = "secretariat", _("Secretariat")
    PLATFORM_LIAISON = "platform_liaison", _("Platform liaison")
    RESEARCHER = "researcher", _("Researcher")
    ADMIN = "admin", _("Administrator")


class Member(models.Model):
    """A person in one coalition organisation, with one role."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.organisation.slug}, {self.role})"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


TOKEN_PREFIX = "bz_"  # noqa: S105  (a label, not a secret)


def hash_token(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is safe and lets us look them up.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token; only its hash is stored, the token itself is shown once."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart")
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.hint}… ({self.member})"

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def default_expiry() -> datetime:
        return timezone.now() + timedelta(days=settings.TOKEN_LIFETIME_DAYS)


def member_of(user: object) -> Member | None:
    """The membership of a logged-in, active user; None for anyone else."""
    if not isinstance(user, User) or not user.is_active:
        return None
    return user.member
