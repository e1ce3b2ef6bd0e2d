"""Every state change of cases: placing reports in cases and moving cases through their states."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from baraza.accounts.models import Member, Organisation, Role, User
from baraza.audit.actions import record
from baraza.cases.keys import audience_scope, content_keys
from baraza.cases.models import Case, CaseQuerySet, CaseReport, CaseStatus, ContentKey
from baraza.cases.priority import Signals, priority
from baraza.db import atomic_with_retry
from baraza.intake.models import Report, ReportStatus
from baraza.matching.langid import detect_language


class CaseActionError(ValueError):
    """An action on a case that is not allowed; the message says why."""


# Review (a later stage) adds the assignment that moves triaged → in_review → decided.
TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.NEW: {CaseStatus.TRIAGED, CaseStatus.CLOSED},
    CaseStatus.TRIAGED: {CaseStatus.IN_REVIEW, CaseStatus.CLOSED},
    CaseStatus.IN_REVIEW: {CaseStatus.DECIDED, CaseStatus.CLOSED},
    CaseStatus.DECIDED: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.TRIAGED},
}
COORDINATING_ROLES = {Role.SECRETARIAT, Role.ADMIN}


def _open_case(report: Report) -> Case:
    case = Case.objects.create(
        tlp=report.tlp,
        organisation_id=report.organisation_id,
        category=report.category,
        platform=report.platform,
        country=report.country,
        language=report.language,
        election_id=report.election_id,
    )
    case.shared_with.set(report.shared_with.all())
    case.recipients.set(report.recipients.all())
    return case


def _place(report: Report) -> CaseReport:
    if not report.language:
        # The reporter's own answer always wins; detection fills the gaps (and may stay unsure).
        report.language = detect_language(report.text)
    scope = audience_scope(report.tlp, report.organisation_id, report.pk)
    keys = content_keys(report.text, report.url, scope)
    owner = (
        ContentKey.objects.filter(kind=keys[0][0], digest=keys[0][1]).select_related("case").first()
        if keys
        else None
    )
    if owner is None and len(keys) > 1:
        owner = ContentKey.objects.filter(kind=keys[1][0], digest=keys[1][1]).first()
    if owner is not None:
        case, reason = owner.case, owner.kind
        ContentKey.objects.bulk_create(
            [ContentKey(kind=k, digest=d, case=case) for k, d in keys], ignore_conflicts=True
        )
    else:
        case, reason = _open_case(report), CaseReport.Reason.OPENED
        # No ignore_conflicts: if another worker just claimed this content, we must fail and retry.
        ContentKey.objects.bulk_create([ContentKey(kind=k, digest=d, case=case) for k, d in keys])
    link = CaseReport.objects.create(case=case, report=report, reason=reason)
    Report.objects.filter(pk=report.pk).update(
        status=_report_status(case.status), language=report.language
    )
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now(), priority=case_priority(case))
    record("cases.report_placed", case, None, {"report": report.pk, "reason": reason})
    return link


def case_priority(case: Case) -> float:
    """The case's triage priority from its reports and its election's calendar (derived state:
    recomputed, never edited, so it writes no audit event of its own)."""
    reports = Report.objects.filter(case_link__case=case)
    election = case.election
    return priority(
        Signals(
            category=case.category,
            reports=reports.count(),
            reporters=reports.values("organisation").distinct().count(),
            texts=tuple(reports.order_by("pk").values_list("text", flat=True)[:20]),
            voting_day=election.voting_day if election else None,
            silence_start=election.silence_start if election else None,
            today=timezone.localdate(),
        )
    )


def refresh_priorities(cases: CaseQuerySet) -> int:
    """Recompute priorities (the calendar moves every day); returns how many changed."""
    changed = 0
    for case in cases.select_related("election").iterator():
        value = case_priority(case)
        if value != case.priority:
            Case.objects.filter(pk=case.pk).update(priority=value)
            changed += 1
    return changed


def do_place_report(report: Report) -> CaseReport:
    """Put a report in the case for its content, opening one if there is none. Idempotent."""

    def place_once() -> CaseReport:
        existing = CaseReport.objects.filter(report=report).first()
        return existing if existing is not None else _place(report)

    return atomic_with_retry(place_once)


def _report_status(case_status: str) -> str:
    return {
        CaseStatus.NEW: ReportStatus.NEW,
        CaseStatus.TRIAGED: ReportStatus.TRIAGED,
        CaseStatus.IN_REVIEW: ReportStatus.IN_REVIEW,
        CaseStatus.DECIDED: ReportStatus.DECIDED,
        CaseStatus.CLOSED: ReportStatus.CLOSED,
    }[CaseStatus(case_status)]


def do_change_case_status(case: Case, status: str, *, member: Member, note: str = "") -> Case:
    """Move a case to another status; its reporters see the new status by tracking code."""
    if member.role not in COORDINATING_ROLES or member.organisation_id != case.organisation_id:
        raise PermissionError(
            "only the secretariat or an administrator of the case's owning organisation "
            "changes its status"
        )
    if status not in CaseStatus.values:
        raise CaseActionError(f"status must be one of {', '.join(CaseStatus.values)}")
    with transaction.atomic():
        # Re-read under a lock: two people acting at once must not skip a step between them.
        case = Case.objects.select_for_update().get(pk=case.pk)
        if status not in TRANSITIONS[case.status]:
            allowed = ", ".join(sorted(TRANSITIONS[case.status])) or "none"
            raise CaseActionError(f"a {case.status} case can move to: {allowed}; not to {status}")
        previous = case.status
        case.status = status
        case.updated_at = timezone.now()
        case.save(update_fields=["status", "updated_at"])
        Report.objects.filter(case_link__case=case).update(status=_report_status(status))
        record(
            "cases.status_changed",
            case,
            member.user,
            {"from": previous, "to": status, "note": note[:500]},
        )
    return case


SHARING_ROLES = {Role.SECRETARIAT, Role.ADMIN}


def check_may_share(case: Case, member: Member) -> None:
    if member.role not in SHARING_ROLES or member.organisation_id != case.organisation_id:
        raise PermissionError(
            "only the secretariat or an administrator of the case's owning organisation shares it"
        )


def do_share_case(
    case: Case,
    *,
    member: Member,
    organisations: list[Organisation],
    people: list[User],
) -> Case:
    """Widen who may see a case and the reports in it that the member's organisation owns.

    TLP:AMBER is shared with organisations, TLP:RED with named people; only the owner decides.
    Reports other organisations contributed to the case keep their own owners' rules.
    """
    check_may_share(case, member)
    if not organisations and not people:
        raise CaseActionError("name at least one organisation or person to share with")
    with transaction.atomic():
        # Only what the sharer may see: an owner not named on a red report cannot name itself.
        own_reports = Report.objects.visible_to(member.user).filter(
            case_link__case=case, organisation_id=member.organisation_id
        )
        for target in (case, *own_reports):
            target.shared_with.add(*organisations)
            target.recipients.add(*people)
        record(
            "cases.shared",
            case,
            member.user,
            {
                "organisations": sorted(o.slug for o in organisations),
                "people": sorted(person.pk for person in people),
                "reports": len(own_reports),
            },
        )
    return case
