"""Case operations for members: the queue, one case with its reports and timeline, status."""

from collections.abc import Mapping

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict

from baraza.accounts.auth import MemberToken
from baraza.accounts.models import Member, Organisation, User
from baraza.cases.actions import (
    CaseActionError,
    check_may_share,
    do_change_case_status,
    do_share_case,
)
from baraza.cases.models import CaseQuerySet, CaseStatus
from baraza.cases.queries import CaseFile, case_file, case_queue
from baraza.cases.schemas import (
    CaseOut,
    CaseSummaryOut,
    ShareIn,
    StatusChangeIn,
)
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
