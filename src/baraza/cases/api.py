"""Case operations for members: the queue, one case with its reports and timeline, status."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import ConfigDict

from baraza.accounts.auth import MemberToken
from baraza.accounts.models import Member
from baraza.cases.actions import CaseActionError, do_change_case_status
from baraza.cases.models import CaseQuerySet, CaseStatus
from baraza.cases.queries import CaseFile, case_file, case_queue
from baraza.cases.schemas import (
    CaseOut,
    CaseSummaryOut,
    StatusChangeIn,
)
from baraza.intake.models import Category, Platform

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
@paginate(LimitOffsetPagination)
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
