"""Case operations for members: the queue, one case with its reports and timeline, status."""

from collections.abc import Mapping

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from baraza.accounts.auth import MemberToken
from baraza.accounts.models import Member, Organisation, User
from baraza.cases.actions import (
    CaseActionError,
    check_may_share,
    do_change_case_status,
    do_merge_cases,
    do_resolve_suggestion,
    do_share_case,
    do_split_case,
)
from baraza.cases.models import CaseQuerySet, CaseStatus, CaseSuggestion
from baraza.cases.queries import CaseFile, case_file, case_queue, pending_links
from baraza.cases.schemas import (
    CaseOut,
    CaseSummaryOut,
    MergeIn,
    ShareIn,
    SplitIn,
    StatusChangeIn,
    SuggestionAnswerIn,
)
from baraza.intake import tracking
from baraza.intake.models import Category, Platform
from baraza.pagination import Page

router = Router(tags=["cases"], auth=MemberToken())


class CaseFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    status: CaseStatus | None = None
    category: Category | None = None
    platform: Platform | None = None
    country: str | None = None
    language: str | None = None
    election: str | None = None


@router.get("/cases", response=list[CaseSummaryOut], operation_id="list_cases")
@paginate(Page)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> CaseQuerySet:
    """Cases you may see under TLP, newest first, with the number of their reports you may see."""
    return case_queue(request.user, filters.model_dump())


@router.get("/cases/{case_id}", response=CaseOut, operation_id="get_case")
def get_case(request: HttpRequest, case_id: int) -> CaseFile:
    """A case with the reports and history you may see; 404 if TLP hides it from you."""
    return case_file(request.user, case_id)


@router.post("/cases/{case_id}/status", response=CaseOut, operation_id="change_case_status")
def change_case_status(request: HttpRequest, case_id: int, payload: StatusChangeIn) -> CaseFile:
    """Move a case along new → triaged → in_review → decided → closed (secretariat, admins)."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = case_file(request.user, case_id).case
    try:
        do_change_case_status(case, payload.status, member=member, note=payload.note)
    except CaseActionError as error:
        raise HttpError(409, f"status: {error}") from None
    return case_file(request.user, case_id)


def _all_found(model_name: str, asked: list[str], found: Mapping[str, object]) -> None:
    unknown = sorted(set(asked) - set(found))
    if unknown:
        raise HttpError(422, f"{model_name}: unknown {', '.join(unknown)}")


@router.post("/cases/{case_id}/share", response=CaseOut, operation_id="share_case")
def share_case(request: HttpRequest, case_id: int, payload: ShareIn) -> CaseFile:
    """Share a case (TLP:AMBER) with organisations, or (TLP:RED) with people by email, and with
    them the reports in it that your organisation owns. For the owner's secretariat and admins."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = case_file(request.user, case_id).case
    check_may_share(case, member)  # before any look-up, so nobody can probe for names
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=payload.organisations)}
    emails = [email.strip().lower() for email in payload.people]
    people = {u.email: u for u in User.objects.filter(email__in=emails, is_active=True)}
    _all_found("organisations", payload.organisations, organisations)
    _all_found("people", emails, people)
    try:
        do_share_case(
            case,
            member=member,
            organisations=list(organisations.values()),
            people=list(people.values()),
        )
    except CaseActionError as error:
        raise HttpError(422, str(error)) from None
    return case_file(request.user, case_id)


@router.post("/cases/{case_id}/merge", response=CaseOut, operation_id="merge_cases")
def merge_cases(request: HttpRequest, case_id: int, payload: MergeIn) -> CaseFile:
    """Move every report of this case into case `into` (the same claim) and close this one.
    Both must have the same audience (TLP and owner). Reviewers, the secretariat and admins."""
    member: Member = request.auth  # type: ignore[attr-defined]
    source = case_file(request.user, case_id).case
    try:
        target = case_file(request.user, payload.into).case
    except Http404:
        raise HttpError(422, f"into: no case {payload.into} that you may see") from None
    try:
        merged = do_merge_cases(source, target, member=member)
    except CaseActionError as error:
        raise HttpError(409, f"into: {error}") from None
    return case_file(request.user, merged.pk)


@router.post("/cases/{case_id}/split", response={201: CaseOut}, operation_id="split_case")
def split_case(request: HttpRequest, case_id: int, payload: SplitIn) -> Status:
    """Move the named reports (tracking codes) into a new case, which is returned; the two are
    remembered as different claims. Reviewers, the secretariat and admins."""
    member: Member = request.auth  # type: ignore[attr-defined]
    found = case_file(request.user, case_id)
    try:
        codes = {tracking.normalise(code) for code in payload.reports}
    except tracking.InvalidTrackingCode as error:
        raise HttpError(422, f"reports: {error}") from None
    # Only reports the member may see can be named: the others do not exist for them.
    ids = dict(found.reports.filter(tracking_code__in=codes).values_list("tracking_code", "pk"))
    missing = sorted(tracking.display(code) for code in codes - set(ids))
    if missing:
        raise HttpError(422, f"reports: not in case {case_id}: {', '.join(missing)}")
    try:
        new = do_split_case(found.case, list(ids.values()), member=member)
    except CaseActionError as error:
        raise HttpError(409, f"reports: {error}") from None
    return Status(201, case_file(request.user, new.pk))


@router.post(
    "/cases/{case_id}/suggestions/{suggestion_id}",
    response=CaseOut,
    operation_id="resolve_case_suggestion",
)
def resolve_case_suggestion(
    request: HttpRequest, case_id: int, suggestion_id: int, payload: SuggestionAnswerIn
) -> CaseFile:
    """Confirm (merge the newer case into the older) or reject a suggested link shown on a
    case. Returns the case that remains."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = case_file(request.user, case_id).case
    link = next((s for s in pending_links(request.user, case) if s.id == suggestion_id), None)
    if link is None:
        raise HttpError(404, "no pending suggestion with this id on this case")
    suggestion = CaseSuggestion.objects.get(pk=link.id)
    try:
        kept = do_resolve_suggestion(suggestion, confirm=payload.confirm, member=member)
    except CaseActionError as error:
        raise HttpError(409, f"confirm: {error}") from None
    return case_file(request.user, kept.pk)
