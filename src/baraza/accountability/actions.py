"""Every state change of accountability: referring decided cases and recording responses."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from baraza.accountability.events import AccountabilityEvent
from baraza.accountability.models import (
    RESEARCH_KEY_PREFIX,
    DecisionAccount,
    DecisionVisibility,
    Referral,
    RequestedAction,
    ResearchKey,
    Response,
    ResponseKind,
)
from baraza.accountability.permissions import ReferralAction
from baraza.accounts.models import Member, Organisation, hash_token
from baraza.accounts.permissions import ROLES, Capability, require, require_capability
from baraza.audit.actions import record
from baraza.cases.models import Case, CaseStatus
from baraza.errors import Conflict, InvalidField
from baraza.review.actions import deadline_level
from baraza.review.models import Decision

RECIPIENT_KINDS = {
    Organisation.Kind.PLATFORM,
    Organisation.Kind.ELECTION_BODY,
    Organisation.Kind.REGULATOR,
    Organisation.Kind.POLICE,
    Organisation.Kind.PRESS_COUNCIL,
}


def _sla_hours(case: Case, severity: str | None) -> int:
    level = int(severity) if severity and severity.isdigit() else deadline_level(case.category)
    return settings.REFERRAL_SLA_HOURS[min(max(level, 1), 4) - 1]


def _liaisons(referral: Referral) -> list[str]:
    return list(
        Member.objects.filter(
            organisation=referral.recipient,
            role__in=ROLES[Capability.ANSWER_REFERRALS],
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )


def _notify(referral: Referral) -> int:
    """Email the recipient's liaisons; returns how many were written to."""
    liaisons = _liaisons(referral)
    if not liaisons:
        return 0
    subject = f"[Baraza] Referral {referral.pk}: {referral.get_requested_action_display()}"
    body = (
        f"The coalition refers case {referral.case_id} to you and asks: "
        f"{referral.get_requested_action_display()}.\n\n"
        f"Reasons: {referral.decision.public_reasons}\n\n"
        f"Please answer by {referral.due_at:%Y-%m-%d %H:%M} UTC in Baraza (referral {referral.pk})."
    )
    return send_mail(subject, body, None, liaisons)


def do_refer_case(
    case: Case,
    *,
    recipient: Organisation,
    requested_action: str,
    evidence: list[str],
    note: str,
    member: Member,
) -> Referral:
    """Send a decided case to one recipient, once; the clock starts now."""
    require(member, ReferralAction.REFER, case)
    if recipient.kind not in RECIPIENT_KINDS:
        raise InvalidField(
            "recipient",
            f"{recipient.slug} is a {recipient.kind}; referrals go to platforms, "
            "election bodies, regulators, police or press councils",
        )
    if requested_action not in RequestedAction.values:
        raise InvalidField("requested_action", f"unknown {requested_action}")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        decision = Decision.objects.current_for(case)
        if case.status != CaseStatus.DECIDED or decision is None:
            raise Conflict("only a decided case can be referred")
        if Referral.objects.filter(case=case, recipient=recipient).exists():
            raise Conflict(f"this case was already referred to {recipient.slug}", field="recipient")
        now = timezone.now()
        severity = decision.severity.code if decision.severity else None
        referral = Referral.objects.create(
            case=case,
            decision=decision,
            recipient=recipient,
            requested_action=requested_action,
            evidence=evidence,
            note=note,
            created_by=member.user,
            created_at=now,
            sent_at=now,
            due_at=now + timedelta(hours=_sla_hours(case, severity)),
        )
        record(
            AccountabilityEvent.CASE_REFERRED,
            case,
            member.user,
            {
                "referral": referral.pk,
                "recipient": recipient.slug,
                "requested_action": requested_action,
            },
        )
        transaction.on_commit(lambda: _notify(referral))
    return referral


@dataclass(frozen=True)
class ResponseInput:
    kind: str
    responded_at: datetime
    decision_visibility: str = ""
    decision_account: str = ""
    reason: str = ""


def do_record_response(referral: Referral, data: ResponseInput, *, member: Member) -> Response:
    """The recipient's answer: by one of its liaisons, or by the referring secretariat when it
    came by another channel. Answers cannot predate the referral or lie in the future."""
    require(member, ReferralAction.RESPOND, referral)
    if data.kind not in ResponseKind.values:
        raise InvalidField("kind", f"unknown {data.kind}")
    if data.decision_visibility and data.decision_visibility not in DecisionVisibility.values:
        raise InvalidField("decision_visibility", f"unknown DSA value {data.decision_visibility}")
    if data.decision_account and data.decision_account not in DecisionAccount.values:
        raise InvalidField("decision_account", f"unknown DSA value {data.decision_account}")
    actioned = data.kind == ResponseKind.ACTIONED
    if actioned and not (data.decision_visibility or data.decision_account):
        raise InvalidField("decision_visibility", "say what was done (or decision_account)")
    if not actioned and (data.decision_visibility or data.decision_account):
        raise InvalidField("decision_visibility", "only an actioned response restricts anything")
    if data.kind == ResponseKind.DECLINED and not data.reason.strip():
        raise InvalidField("reason", "a declined referral needs the recipient's reason")
    if referral.sent_at is None or data.responded_at < referral.sent_at:
        raise InvalidField("responded_at", "before the referral was sent")
    if data.responded_at > timezone.now() + timedelta(minutes=5):
        raise InvalidField("responded_at", "in the future")
    with transaction.atomic():
        response = Response.objects.create(
            referral=referral,
            kind=data.kind,
            decision_visibility=data.decision_visibility,
            decision_account=data.decision_account,
            reason=data.reason,
            responded_at=data.responded_at,
            recorded_by=member.user,
        )
        record(
            AccountabilityEvent.RESPONSE_RECORDED,
            referral.case,
            member.user,
            {"referral": referral.pk, "response": response.pk, "kind": data.kind},
        )
    return response


REMINDER_SPACING = timedelta(hours=24)


def do_remind_overdue(referral: Referral) -> bool:
    """Remind the recipient's liaisons of an overdue referral, at most once a day; True if a
    reminder went out."""
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        now = timezone.now()
        recent = referral.last_reminded_at and now - referral.last_reminded_at < REMINDER_SPACING
        if not referral.is_overdue or recent:
            return False
        liaisons = _liaisons(referral)
        referral.reminders += 1
        referral.last_reminded_at = now
        referral.save(update_fields=["reminders", "last_reminded_at"])
        record(
            AccountabilityEvent.REMINDER_SENT,
            referral.case,
            None,
            {"referral": referral.pk, "reminder": referral.reminders, "liaisons": len(liaisons)},
        )
        if liaisons:
            hours = int((now - referral.due_at).total_seconds() // 3600) if referral.due_at else 0
            transaction.on_commit(
                lambda: send_mail(
                    f"[Baraza] Overdue referral {referral.pk} ({hours} h past its deadline)",
                    f"Referral {referral.pk} asked: {referral.get_requested_action_display()}. "
                    "Please record your response in Baraza.",
                    None,
                    liaisons,
                )
            )
    return True


def do_create_research_key(
    *, holder: str, email: str, purpose: str, days: int | None, member: Member
) -> tuple[ResearchKey, str]:
    """A new key; the raw key is returned once and only its hash is kept."""
    require_capability(
        member,
        Capability.MANAGE_RESEARCH_KEYS,
        "only the host organisation's admins create research keys",
    )
    if not holder.strip():
        raise InvalidField("holder", "say who holds the key")
    if not purpose.strip():
        raise InvalidField("purpose", "say what research the key serves")
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidField("email", f"not an e-mail address: {email}") from None
    lifetime = settings.RESEARCH_KEY_DAYS if days is None else days
    if not 1 <= lifetime <= 730:
        raise InvalidField("days", "between 1 and 730")
    raw = RESEARCH_KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ResearchKey.objects.create(
            holder=holder.strip(),
            email=email,
            purpose=purpose.strip(),
            digest=hash_token(raw),
            hint=raw[:10],
            created_by=member.user,
            expires_at=timezone.now() + timedelta(days=lifetime),
        )
        record(
            AccountabilityEvent.RESEARCH_KEY_CREATED,
            key,
            member.user,
            {"holder": key.holder, "expires_at": key.expires_at.isoformat()},
        )
    return key, raw


def do_revoke_research_key(key: ResearchKey, *, member: Member) -> ResearchKey:
    require_capability(
        member,
        Capability.MANAGE_RESEARCH_KEYS,
        "only the host organisation's admins revoke research keys",
    )
    with transaction.atomic():
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
        record(AccountabilityEvent.RESEARCH_KEY_REVOKED, key, member.user, {"holder": key.holder})
    return key


def do_audit_research_query(key: ResearchKey, operation: str, params: dict[str, object]) -> None:
    """Every research query leaves a trace: which key asked what."""
    record(AccountabilityEvent.RESEARCH_QUERY, key, None, {"operation": operation, **params})
