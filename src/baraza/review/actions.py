"""Every state change of review: taxonomies, assignments, assessments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from baraza.accounts.models import Member, User
from baraza.accounts.permissions import Capability, can, require
from baraza.audit.actions import record
from baraza.cases.actions import move_case
from baraza.cases.models import Case, CaseStatus
from baraza.cases.priority import SEVERITY
from baraza.errors import Conflict, InvalidField, Refused
from baraza.intake.models import Report
from baraza.review.consensus import simple_consensus
from baraza.review.events import ReviewEvent
from baraza.review.models import (
    Appeal,
    Assessment,
    Assignment,
    Decision,
    Outcome,
    Scheme,
    Term,
)
from baraza.review.permissions import ReviewAction
from baraza.review.signals import case_decided
from baraza.review.taxonomy import load_disarm, parse_disarm_bundle
from baraza.tlp import TLP


@dataclass(frozen=True)
class DisarmImport:
    tactics: int
    techniques: int
    new_tactics: int
    new_techniques: int


def do_import_disarm(text: str, *, actor: User | None) -> DisarmImport:
    """Load a DISARM release (STIX 2.1 bundle): new ids are added, known ids renamed to the
    release's names. Ids the release no longer has stay, so past assessments keep their meaning
    (an admin may retire them). Raises DisarmError, before any change, on a bad bundle."""
    tactics, techniques = parse_disarm_bundle(text)
    with transaction.atomic():
        new_tactics, new_techniques = load_disarm(Term, tactics, techniques)
        result = DisarmImport(len(tactics), len(techniques), new_tactics, new_techniques)
        anchor = Term.objects.get(scheme=Scheme.DISARM_TACTIC, code=tactics[0].code)
        record(ReviewEvent.DISARM_IMPORTED, anchor, actor, dict(result.__dict__))
    return result


def do_save_term(term: Term, *, actor: User, changed: list[str]) -> Term:
    """An admin's edit of a taxonomy entry (reworded, retired, added)."""
    with transaction.atomic():
        is_new = term.pk is None
        term.save()
        record(
            ReviewEvent.TERM_ADDED if is_new else ReviewEvent.TERM_CHANGED,
            term,
            actor,
            {"scheme": term.scheme, "code": term.code, "fields": sorted(changed)},
        )
    return term


OPEN_FOR_REVIEW = {CaseStatus.NEW, CaseStatus.TRIAGED, CaseStatus.IN_REVIEW}


def deadline_level(category: str) -> int:
    """Severity 1..4 of a case before anyone has assessed it, from its harm category."""
    weight = SEVERITY.get(category, 2.0)
    return 4 if weight >= 8 else 3 if weight >= 6 else 2 if weight >= 4 else 1


def conflicted(case: Case, organisation_id: int) -> bool:
    """Did a member of this organisation report anything in the case? (Public submissions
    belong to the host organisation but were reported by nobody in it.)"""
    if not settings.REVIEW_CONFLICT_OF_INTEREST:
        return False
    return Report.objects.filter(
        case_link__case=case, organisation_id=organisation_id, submitted_by__isnull=False
    ).exists()


def _grant_access(case: Case, reviewer: User, organisation_id: int) -> bool:
    """The share an assignment implies; True if it widened who sees the case."""
    reports = Report.objects.filter(case_link__case=case)
    if case.tlp == TLP.AMBER and organisation_id != case.organisation_id:
        for target in (case, *reports.filter(tlp=TLP.AMBER)):
            target.shared_with.add(organisation_id)
        return True
    if case.tlp == TLP.RED:
        for target in (case, *reports):
            target.recipients.add(reviewer)
        return True
    return False


def do_assign_case(case: Case, reviewer: Member, *, by: Member) -> Assignment:
    """Ask a reviewer to assess a case (the secretariat), or take it from the queue (the
    reviewer). Conflicted organisations are refused; the case moves to in_review."""
    picking = by.pk == reviewer.pk
    require(by, ReviewAction.TAKE if picking else ReviewAction.ASSIGN, case)
    if not can(reviewer, Capability.REVIEW):
        raise InvalidField(
            "reviewer", f"{reviewer.user.email} is a {reviewer.role}, not a reviewer"
        )
    if conflicted(case, reviewer.organisation_id):
        raise Conflict(
            f"conflict of interest: {reviewer.organisation.slug} reported in this case",
            field="reviewer",
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status not in OPEN_FOR_REVIEW:
            raise Conflict(f"a {case.status} case takes no more reviewers")
        appeal = Appeal.objects.pending_for(case)
        if (
            appeal is not None
            and Assessment.objects.filter(case=case, reviewer=reviewer.user).exists()
        ):
            raise Conflict(
                f"{reviewer.user.email} assessed this case; an appeal panel needs fresh eyes",
                field="reviewer",
            )
        already = Assignment.objects.filter(case=case, reviewer=reviewer.user).first()
        if already is not None and appeal is None:
            raise Conflict(
                f"{reviewer.user.email} is already assigned to this case", field="reviewer"
            )
        if already is not None:
            return already  # assigned before but never assessed: joins the panel as is
        hours = settings.REVIEW_DEADLINE_HOURS[deadline_level(case.category) - 1]
        now = timezone.now()
        assignment = Assignment.objects.create(
            case=case,
            reviewer=reviewer.user,
            organisation_id=reviewer.organisation_id,
            assigned_by=None if picking else by.user,
            created_at=now,
            due_at=now + timedelta(hours=hours),
        )
        shared = _grant_access(case, reviewer.user, reviewer.organisation_id)
        previous = case.status
        if case.status != CaseStatus.IN_REVIEW:
            move_case(case, CaseStatus.IN_REVIEW)
        record(
            ReviewEvent.CASE_ASSIGNED,
            case,
            by.user,
            {
                "reviewer": reviewer.user.pk,
                "organisation": reviewer.organisation.slug,
                "picked": picking,
                "shared": shared,
                "status_from": previous,
                "due_at": assignment.due_at.isoformat(),
            },
        )
    return assignment


def _terms(scheme: str, field: str, codes: list[str]) -> list[Term]:
    found = {t.code: t for t in Term.objects.active().filter(scheme=scheme, code__in=codes)}
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise InvalidField(field, f"unknown {', '.join(unknown)}")
    return [found[code] for code in dict.fromkeys(codes)]


@dataclass(frozen=True)
class AssessmentInput:
    verdict: str
    severity: str
    categories: list[str]
    techniques: list[str]
    rationale: str
    evidence: list[str]
    confidence: int
    supersedes: int | None = None


def do_submit_assessment(case: Case, data: AssessmentInput, *, member: Member) -> Assessment:
    """Record a reviewer's judgement. Needs an assignment; once per reviewer and case (a
    correction names the assessment it supersedes); never after the decision."""
    [verdict] = _terms("verdict", "verdict", [data.verdict])
    [severity] = _terms("severity", "severity", [data.severity])
    categories = _terms("category", "categories", data.categories)
    techniques = _terms("disarm_technique", "techniques", data.techniques)
    require(member, ReviewAction.ASSESS, case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        assignment = Assignment.objects.get(case=case, reviewer=member.user)
        if case.status not in OPEN_FOR_REVIEW:
            raise Conflict(f"the case is {case.status}: assessments are closed")
        if conflicted(case, member.organisation_id):
            raise Conflict("conflict of interest: your organisation reported in this case")
        appeal = Appeal.objects.pending_for(case)
        if (
            appeal is not None
            and Assessment.objects.filter(
                case=case, reviewer=member.user, appeal__isnull=True
            ).exists()
        ):
            raise Conflict("you assessed this case before; the appeal panel re-assesses it")
        current = Assessment.objects.current().filter(case=case, reviewer=member.user).first()
        if data.supersedes is None and current is not None:
            raise Conflict(
                f"you already assessed this case (assessment {current.pk}); to correct it, "
                "submit a new one that supersedes it",
                field="supersedes",
            )
        if data.supersedes is not None and (current is None or current.pk != data.supersedes):
            raise Conflict("name your own current assessment of this case", field="supersedes")
        assessment = Assessment.objects.create(
            case=case,
            assignment=assignment,
            reviewer=member.user,
            organisation_id=member.organisation_id,
            verdict=verdict,
            severity=severity,
            rationale=data.rationale,
            evidence=data.evidence,
            confidence=data.confidence,
            supersedes=current if data.supersedes is not None else None,
            appeal=appeal,
        )
        assessment.categories.set(categories)
        assessment.techniques.set(techniques)
        record(
            ReviewEvent.ASSESSMENT_SUBMITTED,
            case,
            member.user,
            {
                "assessment": assessment.pk,
                "organisation": member.organisation.slug,
                "supersedes": data.supersedes,
            },
        )
    return assessment


@dataclass(frozen=True)
class DecisionInput:
    outcome: str
    public_reasons: str
    verdict: str | None = None
    severity: str | None = None
    categories: list[str] = field(default_factory=list)
    dsa_category: str | None = None
    actions: list[str] = field(default_factory=list)
    private_notes: str = ""
    override_reason: str = ""


def _new_decision(
    case: Case, data: DecisionInput, member: Member, *, replaces: Decision | None = None
) -> Decision:
    """Check the decision's fields (422 by field) and create it."""
    if data.outcome == Outcome.VERDICT and not (data.verdict and data.severity):
        raise InvalidField("verdict", "a verdict outcome needs a verdict and a severity")
    verdict = _terms("verdict", "verdict", [data.verdict])[0] if data.verdict else None
    severity = _terms("severity", "severity", [data.severity])[0] if data.severity else None
    categories = _terms("category", "categories", data.categories)
    dsa = (
        _terms("dsa_category", "dsa_category", [data.dsa_category])[0]
        if data.dsa_category
        else None
    )
    decision = Decision.objects.create(
        case=case,
        outcome=data.outcome,
        verdict=verdict,
        severity=severity,
        dsa_category=dsa,
        actions=sorted(set(data.actions)),
        public_reasons=data.public_reasons,
        private_notes=data.private_notes,
        override_reason=data.override_reason,
        decided_by=member.user,
        replaces=replaces,
    )
    decision.categories.set(categories)
    return decision


def _announce_decided(case: Case, decision: Decision) -> None:
    transaction.on_commit(
        lambda: case_decided.send(
            sender=Decision,
            case_id=case.pk,
            decision_id=decision.pk,
            public=case.tlp == TLP.CLEAR,
        ),
        robust=True,
    )


def do_decide_case(case: Case, data: DecisionInput, *, member: Member) -> Decision:
    """Record the outcome of a reviewed case. It needs the consensus rule's quorum of
    assessments, unless the secretariat states why it decides without (audited)."""
    require(member, ReviewAction.DECIDE, case)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.IN_REVIEW:
            raise Conflict(f"a {case.status} case cannot be decided; it must be in review")
        if Appeal.objects.pending_for(case) is not None:
            raise Conflict("the case is under appeal: decide the appeal instead")
        quorum = simple_consensus(case)
        if not quorum.ready and not data.override_reason.strip():
            raise Conflict(
                f"{quorum.assessments} assessments from "
                f"{quorum.organisations} organisations are fewer than required "
                f"({settings.REVIEW_ASSESSMENTS_REQUIRED} from "
                f"{settings.REVIEW_ORGANISATIONS_REQUIRED}); state why you decide anyway",
                field="override_reason",
            )
        if quorum.ready:
            data = DecisionInput(**{**data.__dict__, "override_reason": ""})
        decision = _new_decision(case, data, member)
        move_case(case, CaseStatus.DECIDED, public_outcome=data.public_reasons)
        _announce_decided(case, decision)
        record(
            ReviewEvent.CASE_DECIDED,
            case,
            member.user,
            {
                "decision": decision.pk,
                "outcome": data.outcome,
                "verdict": data.verdict,
                "override": bool(decision.override_reason),
                "assessments": quorum.assessments,
            },
        )
    return decision


def do_file_appeal(
    case: Case, grounds: str, *, member: Member | None, report: Report | None
) -> Appeal:
    """Appeal the case's current decision, once, within BARAZA_REVIEW_APPEAL_WINDOW_DAYS: by a
    member who may see the case, or by a reporter through a report of the case. The case goes
    back into review for an appeal panel."""
    if member is None and report is None:
        raise Refused("appeal as a member, or with the tracking code of your report")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        decision = Decision.objects.current_for(case)
        if decision is None or case.status != CaseStatus.DECIDED:
            raise Conflict("only a decided case can be appealed")
        if Appeal.objects.filter(case=case).exists():
            raise Conflict("this case was already appealed; an appeal is heard once")
        deadline = decision.created_at + timedelta(days=settings.REVIEW_APPEAL_WINDOW_DAYS)
        if timezone.now() > deadline:
            raise Conflict(
                f"the appeal window closed on {deadline.date().isoformat()} "
                f"({settings.REVIEW_APPEAL_WINDOW_DAYS} days after the decision)"
            )
        appeal = Appeal.objects.create(
            case=case,
            decision=decision,
            grounds=grounds,
            filed_by=member.user if member else None,
            report=report if member is None else None,
        )
        move_case(case, CaseStatus.IN_REVIEW)
        record(
            ReviewEvent.APPEAL_FILED,
            case,
            member.user if member else None,
            {"appeal": appeal.pk, "decision": decision.pk, "by_reporter": member is None},
        )
    return appeal


def do_decide_appeal(
    appeal: Appeal,
    *,
    uphold: bool,
    replacement: DecisionInput | None,
    override_reason: str = "",
    member: Member,
) -> Decision:
    """The secretariat's answer to an appeal, on the panel's assessments (or an audited
    override): uphold the decision, or replace it with a new one. Both stay published."""
    case = appeal.case
    require(member, ReviewAction.DECIDE, case)
    if not uphold and replacement is None:
        raise InvalidField("decision", "to replace the decision, give the new one")
    if uphold and replacement is not None:
        raise InvalidField("decision", "an upheld decision stays as it is; give no new one")
    override = override_reason
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if appeal.status != Appeal.Status.PENDING:
            raise Conflict(f"this appeal was already decided ({appeal.status})")
        panel = simple_consensus(case, appeal)
        if not panel.ready and not override.strip():
            raise Conflict(
                f"the appeal panel gave {panel.assessments} assessments from "
                f"{panel.organisations} organisations, fewer than required; state why you "
                "decide anyway",
                field="override_reason",
            )
        kept = appeal.decision
        if replacement is not None:
            reasons = override if not panel.ready else ""
            replacement = DecisionInput(**{**replacement.__dict__, "override_reason": reasons})
            kept = _new_decision(case, replacement, member, replaces=appeal.decision)
        appeal.status = Appeal.Status.UPHELD if uphold else Appeal.Status.REPLACED
        appeal.outcome = kept if not uphold else None
        appeal.decided_at = timezone.now()
        appeal.save(update_fields=["status", "outcome", "decided_at"])
        move_case(case, CaseStatus.DECIDED, public_outcome=kept.public_reasons)
        _announce_decided(case, kept)
        record(
            ReviewEvent.APPEAL_DECIDED,
            case,
            member.user,
            {
                "appeal": appeal.pk,
                "outcome": appeal.status,
                "decision": kept.pk,
                "override": bool(override.strip()) and not panel.ready,
                "assessments": panel.assessments,
            },
        )
    return kept
