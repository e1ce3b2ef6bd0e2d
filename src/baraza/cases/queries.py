"""Read-side helpers shared by the cases API and pages. All start from `visible_to`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from baraza.audit.models import AuditEvent
from baraza.cases.models import Case, CaseQuerySet, CaseSuggestion
from baraza.errors import NotFound
from baraza.intake.models import Report, ReportQuerySet

FILTERS = ("status", "category", "platform", "country", "language")


def case_queue(user: object, filters: dict[str, str | None]) -> CaseQuerySet:
    visible_reports = Report.objects.visible_to(user).values("pk")
    queryset = (
        Case.objects.visible_to(user)
        .select_related("election")
        .order_by("-priority", "-created_at", "-id")
        .annotate(visible_reports=Count("links", filter=Q(links__report__in=visible_reports)))
    )
    for name in FILTERS:
        value = filters.get(name)
        if value:
            queryset = queryset.filter(**{name: value.upper() if name == "country" else value})
    if filters.get("election"):
        queryset = queryset.filter(election__slug=filters["election"])
    return queryset


@dataclass(frozen=True)
class SuggestedLink:
    """A pending "maybe the same claim" link, seen from one case: the other case and how close."""

    id: int
    other_case: Case
    similarity: float


def pending_links(user: object, case: Case) -> list[SuggestedLink]:
    """Suggestions in either direction, but only to cases the user may see: a suggestion must
    not reveal that a case exists."""
    visible = Case.objects.visible_to(user).values("pk")
    pending = CaseSuggestion.objects.filter(status=CaseSuggestion.Status.PENDING)
    links = [
        SuggestedLink(s.pk, s.candidate, s.similarity)
        for s in pending.filter(case=case, candidate__in=visible).select_related("candidate")
    ] + [
        SuggestedLink(s.pk, s.case, s.similarity)
        for s in pending.filter(candidate=case, case__in=visible).select_related("case")
    ]
    return sorted(links, key=lambda link: (-link.similarity, link.id))


@dataclass
class CaseFile:
    """A case as one person may see it. Reads through to the case's own fields, so the API
    schema can serialise it directly."""

    case: Case
    reports: ReportQuerySet
    timeline: list[AuditEvent]
    suggestions: list[SuggestedLink]

    def __getattr__(self, name: str) -> object:
        return getattr(self.case, name)


def visible_case(user: object, case_id: int) -> Case:
    """The one getter for one case before an action or a page: NotFound (404) when it does not
    exist and when TLP hides it, alike, so the answer reveals nothing."""
    case = Case.objects.visible_to(user).select_related("election").filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"no case {case_id} that you may see")
    return case


def visible_suggestion(user: object, case: Case, suggestion_id: int) -> CaseSuggestion:
    """A pending suggestion shown on `case`, linking it to another case the user may see."""
    if not any(link.id == suggestion_id for link in pending_links(user, case)):
        raise NotFound("no pending suggestion with this id on this case")
    return CaseSuggestion.objects.select_related("case", "candidate").get(pk=suggestion_id)


def _visible_reports(user: object, case: Case) -> ReportQuerySet:
    return (
        Report.objects.visible_to(user)
        .filter(case_link__case=case)
        .select_related("organisation", "election", "case_link")
        .order_by("created_at")
    )


NAMING_A_REPORT = ("cases.report_placed", "cases.media_links_offered")


def case_history(
    user: object, case: Case, reports: ReportQuerySet | None = None
) -> list[AuditEvent]:
    """The case's events and those of the reports in it that the user may see, oldest first."""
    reports = _visible_reports(user, case) if reports is None else reports
    report_ids = [str(pk) for pk in reports.values_list("pk", flat=True)]
    timeline = AuditEvent.objects.filter(
        Q(object_type="cases.case", object_id=str(case.pk))
        | Q(object_type="intake.report", object_id__in=report_ids)
    ).select_related("actor", "actor_organisation")
    # Placement events name a report and the cases offered as links: keep only those about
    # reports the user may see, and name only the cases the user may see.
    events = [
        event
        for event in timeline
        if event.action not in NAMING_A_REPORT or str(event.payload.get("report")) in report_ids
    ]
    offered = {pk for event in events for pk in event.payload.get("suggested", [])}
    if offered:
        seen = set(
            Case.objects.visible_to(user).filter(pk__in=offered).values_list("pk", flat=True)
        )
        for event in events:
            if "suggested" in event.payload:
                event.payload = {
                    **event.payload,
                    "suggested": [pk for pk in event.payload["suggested"] if pk in seen],
                }
    return [
        event
        for event in events
        if event.action != "cases.media_links_offered" or event.payload["suggested"]
    ]


def case_file(user: object, case_id: int) -> CaseFile:
    """A case with only the reports, and the history of only the reports, the user may see:
    what the case page and `get_case` show (actions need only `visible_case`)."""
    case = visible_case(user, case_id)
    reports = _visible_reports(user, case)
    return CaseFile(
        case=case,
        reports=reports,
        timeline=case_history(user, case, reports),
        suggestions=pending_links(user, case),
    )
