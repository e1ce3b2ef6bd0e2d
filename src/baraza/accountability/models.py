from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baraza.accounts.permissions import (
    ActionableQuerySet,
    Capability,
    acting_member,
    can,
    coordinators_of,
)
from baraza.intake.models import Report


class RequestedAction(models.TextChoices):
    REMOVE = "remove", _("Remove the content")
    DISABLE = "disable", _("Disable access to the content")
    DEMOTE = "demote", _("Demote the content")
    AGE_RESTRICT = "age_restrict", _("Age-restrict the content")
    LABEL = "label", _("Label the content")
    SUSPEND_ACCOUNT = "suspend_account", _("Suspend the account")
    TERMINATE_ACCOUNT = "terminate_account", _("Terminate the account")
    INVESTIGATE = "investigate", _("Investigate")


class ResponseKind(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACTIONED = "actioned", _("Actioned")
    DECLINED = "declined", _("Declined")
    NO_ANSWER = "no_answer", _("No answer")


# The DSA Transparency Database's values, so responses export in its shape.
class DecisionVisibility(models.TextChoices):
    REMOVED = "DECISION_VISIBILITY_CONTENT_REMOVED", _("Content removed")
    DISABLED = "DECISION_VISIBILITY_CONTENT_DISABLED", _("Content disabled")
    DEMOTED = "DECISION_VISIBILITY_CONTENT_DEMOTED", _("Content demoted")
    AGE_RESTRICTED = "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED", _("Content age-restricted")
    INTERACTION_RESTRICTED = (
        "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
        _("Interaction restricted"),
    )
    LABELLED = "DECISION_VISIBILITY_CONTENT_LABELLED", _("Content labelled")
    OTHER = "DECISION_VISIBILITY_OTHER", _("Other restriction")


class DecisionAccount(models.TextChoices):
    SUSPENDED = "DECISION_ACCOUNT_SUSPENDED", _("Account suspended")
    TERMINATED = "DECISION_ACCOUNT_TERMINATED", _("Account terminated")


class ReferralQuerySet(ActionableQuerySet["Referral"]):
    def visible_to(self, user: object) -> ReferralQuerySet:
        """The referring organisation's secretariat and admins see its referrals; a recipient's
        liaisons see only the referrals sent to their organisation; nobody else sees any."""
        member = acting_member(user)
        if member is None:
            return self.none()
        rule = coordinators_of(member, "case__organisation_id")
        if can(member, Capability.ANSWER_REFERRALS):
            rule |= Q(recipient_id=member.organisation_id, sent_at__isnull=False)
        return self.filter(rule)

    def with_details(self) -> ReferralQuerySet:
        """What a referral's page, list or API answer reads: recipient, decision, case and
        responses, in four queries for any number of referrals."""
        return self.select_related("recipient", "decision", "case").prefetch_related("responses")


class Referral(models.Model):
    """A decided case sent to one recipient (platform, election body, regulator, police, press
    council) with the action requested and the evidence; its clock starts when it is sent."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    decision = models.ForeignKey("review.Decision", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals_received"
    )
    requested_action = models.CharField(max_length=32, choices=RequestedAction.choices)
    evidence = models.JSONField(default=list, blank=True, help_text="links")
    note = models.TextField(blank=True, help_text="to the recipient")
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="the SLA, from sending")
    reminders = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "recipient"], name="referral_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}: case {self.case_id} → {self.recipient_id}"

    def content_urls(self) -> list[str]:
        """What the recipient needs to act on: the addresses of the reported content."""
        urls = Report.objects.filter(case_link__case_id=self.case_id).exclude(url="")
        return sorted(set(urls.values_list("url", flat=True)))

    def first(self, *kinds: str) -> Response | None:
        """The earliest response of these kinds. Reads `responses.all()` (in response order),
        so a list of referrals that prefetches responses asks the database nothing more."""
        return next((r for r in self.responses.all() if r.kind in kinds), None)

    @property
    def latest_response(self) -> Response | None:
        responses = list(self.responses.all())
        return responses[-1] if responses else None

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        response = self.first(
            ResponseKind.ACKNOWLEDGED, ResponseKind.ACTIONED, ResponseKind.DECLINED
        )
        return response.responded_at - self.sent_at if response and self.sent_at else None

    @property
    def time_to_action(self) -> timedelta | None:
        response = self.first(ResponseKind.ACTIONED)
        return response.responded_at - self.sent_at if response and self.sent_at else None

    @property
    def is_overdue(self) -> bool:
        """Sent, past its SLA, and not answered with an action or a refusal."""
        if self.due_at is None or self.due_at >= timezone.now():
            return False
        return self.first(ResponseKind.ACTIONED, ResponseKind.DECLINED) is None


class Response(models.Model):
    """What the recipient answered, recorded by its liaison or by the secretariat (for answers
    that came by other channels). Kept in order; none is ever edited."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=16, choices=ResponseKind.choices)
    decision_visibility = models.CharField(
        max_length=64, choices=DecisionVisibility.choices, blank=True
    )
    decision_account = models.CharField(max_length=64, choices=DecisionAccount.choices, blank=True)
    reason = models.TextField(blank=True)
    responded_at = models.DateTimeField(help_text="when the recipient answered (any time zone)")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["responded_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on referral {self.referral_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("a recorded response is never changed; record another")
        super().save(*args, **kwargs)


RESEARCH_KEY_PREFIX = "bzr_"


class ResearchKeyQuerySet(models.QuerySet["ResearchKey"]):
    def usable(self) -> ResearchKeyQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ResearchKey(models.Model):
    """A researcher's key to the read-only research API: pseudonymised green and clear data,
    rate-limited, every query audited. Created by an admin; only its hash is stored."""

    holder = models.CharField(max_length=200, help_text="the researcher and their institution")
    email = models.EmailField()
    purpose = models.TextField(help_text="the research it serves, as agreed with the coalition")
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ResearchKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.hint}… ({self.holder})"
