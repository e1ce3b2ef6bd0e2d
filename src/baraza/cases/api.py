"""Case operations for members: the queue, one case with its reports and timeline, status."""

from collections.abc import Mapping

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from baraza.accounts.auth import MemberToken
from baraza.accounts.models import Member, Organisation, User
from baraza.accounts.permissions import require
from baraza.api_errors import errors
from baraza.cases.actions import (
    do_change_case_status,
    do_merge_cases,
    do_resolve_suggestion,
    do_share_case,
    do_split_case,
)
from baraza.cases.models import CaseQuerySet, CaseStatus
from baraza.cases.permissions import CaseAction
from baraza.cases.queries import (
    CaseFile,
    case_file,
    case_queue,
    visible_case,
    visible_suggestion,
)
from baraza.cases.schemas import (
    CaseOut,
    CaseSummaryOut,
    MergeIn,
    ShareIn,
    SplitIn,
    StatusChangeIn,
    SuggestionAnswerIn,
)
from baraza.errors import InvalidField, NotFound
from baraza.intake import tracking
from baraza.intake.models import Category, Platform
from baraza.pagination import Page

router = Router(tags=["cases"], auth=MemberToken())


class CaseFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    status: CaseStatus | None = Field(None, description="only cases with this status")
    category: Category | None = Field(None, description="only cases of this kind of harm")
    platform: Platform | None = Field(None, description="only cases about this platform")
    country: str | None = Field(None, description="only cases about this country (alpha-2)")
    language: str | None = Field(None, description="only cases in this language (ISO 639)")
    election: str | None = Field(None, description="only cases about this election (its slug)")


@router.get(
    "/cases",
    response={200: list[CaseSummaryOut], **errors(401, 422)},
    operation_id="list_cases",
)
@paginate(Page)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> CaseQuerySet:
    """Cases you may see under TLP, highest triage priority first, then newest, with the number
    of their reports you may see; filtered by the query's fields, a page at a time."""
    return case_queue(request.user, filters.model_dump())


@router.get(
    "/cases/{case_id}", response={200: CaseOut, **errors(401, 404)}, operation_id="get_case"
)
def get_case(request: HttpRequest, case_id: int) -> CaseFile:
    """A case with the reports and history you may see; 404 if TLP hides it from you."""
    return case_file(request.user, case_id)


@router.post(
    "/cases/{case_id}/status",
    response={200: CaseOut, **errors(401, 403, 404, 409, 422)},
    operation_id="change_case_status",
)
def change_case_status(request: HttpRequest, case_id: int, payload: StatusChangeIn) -> CaseFile:
    """Move a case along new → triaged → in_review → decided → closed: the owning
    organisation's secretariat and admins (403 for others). A move the case's current status
    does not allow is a 409 naming the moves it does allow."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = visible_case(request.user, case_id)
    do_change_case_status(case, payload.status, member=member, note=payload.note)
    return case_file(request.user, case_id)


def _all_found(field: str, asked: list[str], found: Mapping[str, object]) -> None:
    unknown = sorted(set(asked) - set(found))
    if unknown:
        raise InvalidField(field, f"unknown {', '.join(unknown)}")


@router.post(
    "/cases/{case_id}/share",
    response={200: CaseOut, **errors(401, 403, 404, 422)},
    operation_id="share_case",
)
def share_case(request: HttpRequest, case_id: int, payload: ShareIn) -> CaseFile:
    """Share a case (TLP:AMBER) with organisations, or (TLP:RED) with people by email, and with
    them the reports in it that your organisation owns. For the owner's secretariat and admins
    (403 for others); unknown organisations or people are a 422 naming them."""
    case = visible_case(request.user, case_id)
    # Before any look-up, so nobody can probe for names.
    member = require(request.auth, CaseAction.SHARE, case)  # type: ignore[attr-defined]
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=payload.organisations)}
    emails = [email.strip().lower() for email in payload.people]
    people = {u.email: u for u in User.objects.filter(email__in=emails, is_active=True)}
    _all_found("organisations", payload.organisations, organisations)
    _all_found("people", emails, people)
    do_share_case(
        case,
        member=member,
        organisations=list(organisations.values()),
        people=list(people.values()),
    )
    return case_file(request.user, case_id)


@router.post(
    "/cases/{case_id}/merge",
    response={200: CaseOut, **errors(401, 403, 404, 409, 422)},
    operation_id="merge_cases",
)
def merge_cases(request: HttpRequest, case_id: int, payload: MergeIn) -> CaseFile:
    """Move every report of this case into case `into` (the same claim) and close this one;
    returns `into`. Both must have the same audience (TLP and owner), else a 409; red cases are
    never merged. Reviewers, the secretariat and admins (403 for others)."""
    member: Member = request.auth  # type: ignore[attr-defined]
    source = visible_case(request.user, case_id)
    try:
        target = visible_case(request.user, payload.into)
    except NotFound as error:
        raise InvalidField("into", error.message) from None
    merged = do_merge_cases(source, target, member=member)
    return case_file(request.user, merged.pk)


@router.post(
    "/cases/{case_id}/split",
    response={201: CaseOut, **errors(401, 403, 404, 409, 422)},
    operation_id="split_case",
)
def split_case(request: HttpRequest, case_id: int, payload: SplitIn) -> Status:
    """Move the named reports (tracking codes) into a new case, which is returned; the two are
    remembered as different claims. Reviewers, the secretariat and admins (403 for others).
    A split must leave a report behind (409)."""
    member: Member = request.auth  # type: ignore[attr-defined]
    found = case_file(request.user, case_id)
    codes = {tracking.normalise(code, field="reports") for code in payload.reports}
    # Only reports the member may see can be named: the others do not exist for them.
    ids = dict(found.reports.filter(tracking_code__in=codes).values_list("tracking_code", "pk"))
    missing = sorted(tracking.display(code) for code in codes - set(ids))
    if missing:
        raise InvalidField("reports", f"not in case {case_id}: {', '.join(missing)}")
    new = do_split_case(found.case, list(ids.values()), member=member)
    return Status(201, case_file(request.user, new.pk))


@router.post(
    "/cases/{case_id}/suggestions/{suggestion_id}",
    response={200: CaseOut, **errors(401, 403, 404, 409, 422)},
    operation_id="resolve_case_suggestion",
)
def resolve_case_suggestion(
    request: HttpRequest, case_id: int, suggestion_id: int, payload: SuggestionAnswerIn
) -> CaseFile:
    """Confirm (merge the newer case into the older) or reject a suggested link shown on a
    case. Returns the case that remains. Reviewers, the secretariat and admins (403 for
    others); a suggestion already resolved is a 409."""
    member: Member = request.auth  # type: ignore[attr-defined]
    suggestion = visible_suggestion(
        request.user, visible_case(request.user, case_id), suggestion_id
    )
    kept = do_resolve_suggestion(suggestion, confirm=payload.confirm, member=member)
    return case_file(request.user, kept.pk)
