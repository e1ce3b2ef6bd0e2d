"""Every state change of cases: placing reports in cases and moving cases through their states."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from baraza.accounts.models import Member, Organisation, User
from baraza.accounts.permissions import require
from baraza.audit.actions import record
from baraza.cases.clustering import MAX_SUGGESTIONS, Candidate, Decision, case_scope, decide
from baraza.cases.events import CaseEvent
from baraza.cases.keys import audience_scope, content_keys
from baraza.cases.media_links import decide_by_media, matchable_text, media_keys
from baraza.cases.models import (
    Case,
    CaseQuerySet,
    CaseReport,
    CaseStatus,
    CaseSuggestion,
    ContentKey,
)
from baraza.cases.permissions import CaseAction
from baraza.cases.priority import Signals, priority
from baraza.cases.similarity import embeddable, report_index
from baraza.db import atomic_with_retry
from baraza.errors import Conflict, InvalidField
from baraza.intake.models import Report, ReportStatus
from baraza.matching.langid import detect_language
from baraza.tlp import TLP

# Review (a later stage) adds the assignment that moves triaged → in_review → decided.
TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.NEW: {CaseStatus.TRIAGED, CaseStatus.CLOSED},
    CaseStatus.TRIAGED: {CaseStatus.IN_REVIEW, CaseStatus.CLOSED},
    CaseStatus.IN_REVIEW: {CaseStatus.DECIDED, CaseStatus.CLOSED},
    CaseStatus.DECIDED: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.TRIAGED},
}


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


def _owner_of(keys: list[tuple[str, str]]) -> ContentKey | None:
    for kind, digest in keys:  # the URL first: the same post outranks the same words
        owner = ContentKey.objects.filter(kind=kind, digest=digest).select_related("case").first()
        if owner is not None:
            return owner
    return None


def _by_meaning(
    report: Report, text: str, vectors: np.ndarray | None, scope: str
) -> tuple[Decision, str]:
    """What the media say first (the same picture is stronger evidence than similar words),
    then the words; suggestions of both are offered."""
    by_media = decide_by_media(report, scope) if report.media_count else Decision()
    if by_media.join is not None:
        return by_media, CaseReport.Reason.SIMILAR_MEDIA
    by_words = decide(text, vectors, scope)
    offered = {c.case.pk for c in by_words.suggest}
    if by_words.join is not None:
        offered.add(by_words.join.case.pk)
    extra = [c for c in by_media.suggest if c.case.pk not in offered]
    by_words.suggest = by_words.suggest + extra[:MAX_SUGGESTIONS]
    return by_words, CaseReport.Reason.SIMILAR


def _place(report: Report, vectors: np.ndarray | None) -> CaseReport:
    text = matchable_text(report)
    if not report.language:
        # The reporter's own answer always wins; detection fills the gaps (and may stay unsure).
        report.language = detect_language(text)
    scope = audience_scope(report.tlp, report.organisation_id, report.pk)
    keys = content_keys(text, report.url, scope) + media_keys(report, scope)
    owner = _owner_of(keys)
    similarity = None
    suggestions: list[Candidate] = []
    if owner is not None:
        case, reason = owner.case, owner.kind
    else:
        decision, joined_by = _by_meaning(report, text, vectors, scope)
        suggestions = decision.suggest
        if decision.join is not None:
            case, reason = decision.join.case, joined_by
            similarity = decision.join.similarity
        else:
            case, reason = _open_case(report), CaseReport.Reason.OPENED
            # No ignore_conflicts: if another worker just claimed this content, we must fail
            # and retry (and then join that worker's case).
            ContentKey.objects.bulk_create(
                [ContentKey(kind=k, digest=d, case=case) for k, d in keys]
            )
    if reason != CaseReport.Reason.OPENED:
        ContentKey.objects.bulk_create(
            [ContentKey(kind=k, digest=d, case=case) for k, d in keys], ignore_conflicts=True
        )
    link = CaseReport.objects.create(case=case, report=report, reason=reason, similarity=similarity)
    _suggest(case, suggestions)
    if vectors is not None and reason != CaseReport.Reason.SAME_TEXT:
        # The same words add nothing new to find; anything else widens what the case matches.
        # The whole text's vector is kept; windows of a long text only serve this search.
        report_index().store(report.pk, vectors[0])
    Report.objects.filter(pk=report.pk).update(
        status=_report_status(case.status), language=report.language
    )
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now(), priority=case_priority(case))
    payload: dict[str, object] = {"report": report.pk, "reason": reason}
    if similarity is not None:
        payload["similarity"] = similarity
    if suggestions:
        payload["suggested"] = [c.case.pk for c in suggestions]
    record(CaseEvent.REPORT_PLACED, case, None, payload)
    return link


def _suggest(case: Case, candidates: list[Candidate]) -> None:
    """Offer links not offered before: a pending one stands, a rejected one is remembered.
    One query finds the pairs already offered either way round."""
    if not candidates:
        return
    others = [candidate.case.pk for candidate in candidates]
    known = CaseSuggestion.objects.filter(
        Q(case=case, candidate_id__in=others) | Q(case_id__in=others, candidate=case)
    ).values_list("case_id", "candidate_id")
    offered = {first if second == case.pk else second for first, second in known}
    CaseSuggestion.objects.bulk_create(
        [
            CaseSuggestion(case=case, candidate=c.case, similarity=c.similarity)
            for c in candidates
            if c.case.pk not in offered
        ]
    )


def do_offer_media_links(report: Report) -> list[Candidate]:
    """A placed report whose media were processed after it was placed (a tipline's come later
    than their words): the cases its media match are offered as links of its case, never
    merged by themselves, as a reviewer may have acted on the case meanwhile."""
    link = CaseReport.objects.filter(report=report).select_related("case").first()
    if link is None or not report.media_count:
        return []
    case = link.case
    scope = case_scope(case)
    if scope is None:
        return []
    decision = decide_by_media(report, scope)
    found = [c for c in [decision.join, *decision.suggest] if c is not None and c.case != case]
    if not found:
        return []
    with transaction.atomic():
        _suggest(case, found)
        record(
            CaseEvent.MEDIA_LINKS_OFFERED,
            case,
            None,
            {"report": report.pk, "suggested": [c.case.pk for c in found]},
        )
    return found


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


def embed_reports(reports: list[Report]) -> dict[int, np.ndarray]:
    """Query vectors (whole text, then windows of a long one) of the reports that carry words,
    in one batch. Done before the placing transaction opens: encoding is the slow part and must
    not hold SQLite's write lock."""
    texts = {report.pk: matchable_text(report) for report in reports}
    wanted = [report for report in reports if embeddable(texts[report.pk])]
    if not wanted:
        return {}
    vectors = report_index().embed_many([texts[report.pk] for report in wanted])
    return {report.pk: vectors[n] for n, report in enumerate(wanted)}


def do_place_report(report: Report, vectors: np.ndarray | None = None) -> CaseReport:
    """Put a report in the case for its content or its claim, opening one if there is none
    (see cases/clustering.py). Idempotent. Without vectors (embed_reports), they are computed
    here."""
    if vectors is None:
        vectors = embed_reports([report]).get(report.pk)

    def place_once() -> CaseReport:
        existing = CaseReport.objects.filter(report=report).first()
        return existing if existing is not None else _place(report, vectors)

    return atomic_with_retry(place_once)


def _report_status(case_status: str) -> str:
    return {
        CaseStatus.NEW: ReportStatus.NEW,
        CaseStatus.TRIAGED: ReportStatus.TRIAGED,
        CaseStatus.IN_REVIEW: ReportStatus.IN_REVIEW,
        CaseStatus.DECIDED: ReportStatus.DECIDED,
        CaseStatus.CLOSED: ReportStatus.CLOSED,
    }[CaseStatus(case_status)]


def move_case(case: Case, status: str, *, public_outcome: str | None = None) -> None:
    """Set a case's status and mirror it on its reports, which reporters read by tracking
    code. For use inside the caller's transaction, whose action writes the audit event."""
    case.status = status
    case.updated_at = timezone.now()
    case.save(update_fields=["status", "updated_at"])
    changes = {"status": _report_status(status)}
    if public_outcome is not None:
        changes["public_outcome"] = public_outcome[:2000]
    Report.objects.filter(case_link__case=case).update(**changes)


def do_change_case_status(case: Case, status: str, *, member: Member, note: str = "") -> Case:
    """Move a case to another status; its reporters see the new status by tracking code."""
    require(member, CaseAction.CHANGE_STATUS, case)
    if status not in CaseStatus.values:
        raise InvalidField("status", f"must be one of {', '.join(CaseStatus.values)}")
    with transaction.atomic():
        # Re-read under a lock: two people acting at once must not skip a step between them.
        case = Case.objects.select_for_update().get(pk=case.pk)
        if status not in TRANSITIONS[case.status]:
            allowed = ", ".join(sorted(TRANSITIONS[case.status])) or "none"
            raise Conflict(
                f"a {case.status} case can move to: {allowed}; not to {status}", field="status"
            )
        previous = case.status
        move_case(case, status)
        record(
            CaseEvent.STATUS_CHANGED,
            case,
            member.user,
            {"from": previous, "to": status, "note": note[:500]},
        )
    return case


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
    require(member, CaseAction.SHARE, case)
    if not organisations and not people:
        raise InvalidField("organisations", "name at least one organisation or person")
    with transaction.atomic():
        # Only what the sharer may see: an owner not named on a red report cannot name itself.
        own_reports = Report.objects.visible_to(member.user).filter(
            case_link__case=case, organisation_id=member.organisation_id
        )
        for target in (case, *own_reports):
            target.shared_with.add(*organisations)
            target.recipients.add(*people)
        record(
            CaseEvent.SHARED,
            case,
            member.user,
            {
                "organisations": sorted(o.slug for o in organisations),
                "people": sorted(person.pk for person in people),
                "reports": len(own_reports),
            },
        )
    return case


STRICTER_TLP: dict[str, int] = {TLP.CLEAR: 0, TLP.GREEN: 1, TLP.AMBER: 2, TLP.RED: 3}


def _check_same_audience(source: Case, target: Case) -> None:
    if source.pk == target.pk:
        raise Conflict("a case cannot be merged into itself", field="into")
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise Conflict("one of these cases was already merged into another", field="into")
    if TLP.RED in (source.tlp, target.tlp):
        raise Conflict("TLP:RED cases are never merged; share the case instead", field="into")
    if case_scope(source) != case_scope(target):
        raise Conflict(
            "these cases have different audiences (TLP or owning organisation); merging them "
            "would show each audience the other's reports",
            field="into",
        )


def _move_reports(links: list[CaseReport], target: Case, reason: str) -> None:
    for link in links:
        link.case = target
        link.reason = reason
        link.similarity = None
    CaseReport.objects.bulk_update(links, ["case", "reason", "similarity"])
    Report.objects.filter(pk__in=[link.report_id for link in links]).update(
        status=_report_status(target.status)
    )


def _settle(cases: list[Case]) -> None:
    now = timezone.now()
    for case in cases:
        Case.objects.filter(pk=case.pk).update(updated_at=now, priority=case_priority(case))


def do_merge_cases(
    source: Case, target: Case, *, member: Member, suggestion: CaseSuggestion | None = None
) -> Case:
    """Move every report of `source` into `target` and close `source`, pointing at `target`.

    Only within one audience. The merged case takes the stricter TLP of the two, so no report
    becomes visible to anyone who could not see it before."""
    require(member, CaseAction.CURATE, source)
    require(member, CaseAction.CURATE, target)
    with transaction.atomic():
        source, target = (
            Case.objects.select_for_update().get(pk=source.pk),
            Case.objects.select_for_update().get(pk=target.pk),
        )
        _check_same_audience(source, target)
        links = list(source.links.all())
        _move_reports(links, target, CaseReport.Reason.MERGED)
        ContentKey.objects.filter(case=source).update(case=target)
        if STRICTER_TLP[source.tlp] > STRICTER_TLP[target.tlp]:
            target.tlp = source.tlp
            target.save(update_fields=["tlp"])
        source.merged_into = target
        source.status = CaseStatus.CLOSED
        source.save(update_fields=["merged_into", "status"])
        # Other links offered to the merged case are moot: its reports now live in the target.
        moot = CaseSuggestion.objects.filter(
            Q(case=source) | Q(candidate=source), status=CaseSuggestion.Status.PENDING
        )
        if suggestion is not None:
            moot = moot.exclude(pk=suggestion.pk)
        moot.delete()
        if suggestion is not None:
            suggestion.status = CaseSuggestion.Status.CONFIRMED
            suggestion.resolved_at = timezone.now()
            suggestion.resolved_by = member.user
            suggestion.save(update_fields=["status", "resolved_at", "resolved_by"])
        _settle([source, target])
        record(
            CaseEvent.MERGED,
            target,
            member.user,
            {
                "from_case": source.pk,
                "reports": sorted(link.report_id for link in links),
                "suggestion": suggestion.pk if suggestion else None,
            },
        )
    target.refresh_from_db()
    return target


def _digests(links: Iterable[CaseReport], scope: str) -> set[str]:
    return {
        digest
        for link in links
        for _, digest in content_keys(link.report.text, link.report.url, scope)
    }


def do_split_case(case: Case, report_ids: list[int], *, member: Member) -> Case:
    """Move some of a case's reports into a new case of the same audience. The two cases are
    remembered as different claims, so they are never suggested as one again."""
    require(member, CaseAction.CURATE, case)
    wanted = sorted(set(report_ids))
    if not wanted:
        raise InvalidField("reports", "name at least one report to move")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        links = list(case.links.filter(report_id__in=wanted).select_related("report"))
        unknown = sorted(set(wanted) - {link.report_id for link in links})
        if unknown:
            raise InvalidField("reports", f"not in case {case.pk}: {', '.join(map(str, unknown))}")
        if len(links) == case.links.count():
            raise Conflict("a split must leave at least one report in the case", field="reports")
        new = _open_case(links[0].report)
        new.tlp, new.organisation_id = case.tlp, case.organisation_id
        new.save(update_fields=["tlp", "organisation"])
        new.shared_with.set(case.shared_with.all())
        new.recipients.set(case.recipients.all())
        _move_reports(links, new, CaseReport.Reason.SPLIT)
        # Content only the moved reports have follows them; content both keep stays put.
        scope = case_scope(case) or f"red:{links[0].report_id}"
        staying = case.links.exclude(report_id__in=wanted).select_related("report")
        ContentKey.objects.filter(
            case=case, digest__in=_digests(links, scope) - _digests(staying, scope)
        ).update(case=new)
        CaseSuggestion.objects.create(
            case=new,
            candidate=case,
            similarity=0.0,
            status=CaseSuggestion.Status.REJECTED,
            resolved_at=timezone.now(),
            resolved_by=member.user,
        )
        _settle([case, new])
        record(
            CaseEvent.SPLIT,
            case,
            member.user,
            {"to_case": new.pk, "reports": [link.report_id for link in links]},
        )
    new.refresh_from_db()
    return new


def do_resolve_suggestion(suggestion: CaseSuggestion, *, confirm: bool, member: Member) -> Case:
    """A reviewer's answer to a suggested link: confirming merges the newer case into the
    older one; rejecting is remembered, so the pair is never offered again."""
    if suggestion.status != CaseSuggestion.Status.PENDING:
        raise Conflict(f"this suggestion was already {suggestion.status}", field="confirm")
    if confirm:
        older, newer = sorted((suggestion.case, suggestion.candidate), key=lambda c: c.pk)
        return do_merge_cases(newer, older, member=member, suggestion=suggestion)
    require(member, CaseAction.CURATE, suggestion.case)
    require(member, CaseAction.CURATE, suggestion.candidate)
    with transaction.atomic():
        updated = CaseSuggestion.objects.filter(
            pk=suggestion.pk, status=CaseSuggestion.Status.PENDING
        ).update(
            status=CaseSuggestion.Status.REJECTED,
            resolved_at=timezone.now(),
            resolved_by=member.user,
        )
        if not updated:
            raise Conflict("this suggestion was already resolved", field="confirm")
        record(
            CaseEvent.SUGGESTION_REJECTED,
            suggestion.case,
            member.user,
            {"candidate": suggestion.candidate_id, "similarity": suggestion.similarity},
        )
    return suggestion.case
