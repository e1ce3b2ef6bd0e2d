"""Referral operations: refer a decided case, list and read referrals, record responses,
export a referral as a DSA-shaped notice."""

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from baraza.accountability.actions import (
    AccountabilityError,
    InvalidField,
    ResponseInput,
    do_record_response,
    do_refer_case,
)
from baraza.accountability.models import Referral, ReferralQuerySet
from baraza.accountability.notice import notice
from baraza.accountability.publishing import public_report
from baraza.accountability.report import BadPeriod, period_for
from baraza.accountability.schemas import ReferIn, ReferralOut, ResponseIn, ResponseOut
from baraza.accounts.auth import MemberToken
from baraza.accounts.models import Member, Organisation
from baraza.cases.queries import case_file

router = Router(tags=["accountability"], auth=MemberToken())


def _referrals(request: HttpRequest) -> ReferralQuerySet:
    return Referral.objects.visible_to(request.user).with_details()


@router.post("/cases/{case_id}/referrals", response={201: ReferralOut}, operation_id="refer_case")
def refer_case(request: HttpRequest, case_id: int, payload: ReferIn) -> Status:
    """Refer a decided case to a platform, election body, regulator, police or press council
    (once per recipient); its liaisons are emailed and the response clock starts."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = case_file(request.user, case_id).case
    recipient = Organisation.objects.filter(slug=payload.recipient).first()
    if recipient is None:
        raise HttpError(422, f"recipient: no organisation {payload.recipient}")
    try:
        referral = do_refer_case(
            case,
            recipient=recipient,
            requested_action=payload.requested_action,
            evidence=[str(url) for url in payload.evidence],
            note=payload.note,
            member=member,
        )
    except InvalidField as error:
        raise HttpError(422, str(error)) from None
    except AccountabilityError as error:
        raise HttpError(409, str(error)) from None
    return Status(201, referral)


@router.get("/referrals", response=list[ReferralOut], operation_id="list_referrals")
def list_referrals(request: HttpRequest) -> ReferralQuerySet:
    """Referrals you may see: your organisation's (secretariat, admins), or those sent to your
    organisation (platform liaisons)."""
    return _referrals(request)


@router.get("/referrals/{referral_id}", response=ReferralOut, operation_id="get_referral")
def get_referral(request: HttpRequest, referral_id: int) -> Referral:
    return get_object_or_404(_referrals(request), pk=referral_id)


@router.post(
    "/referrals/{referral_id}/responses",
    response={201: ResponseOut},
    operation_id="record_response",
)
def record_response(request: HttpRequest, referral_id: int, payload: ResponseIn) -> Status:
    """Record the recipient's answer (its liaisons; or the secretariat, for answers received
    by other channels). `responded_at` carries its time zone; clocks are kept in UTC."""
    member: Member = request.auth  # type: ignore[attr-defined]
    referral = get_object_or_404(_referrals(request), pk=referral_id)
    data = ResponseInput(
        kind=payload.kind,
        responded_at=payload.responded_at,
        decision_visibility=payload.decision_visibility,
        decision_account=payload.decision_account,
        reason=payload.reason,
    )
    try:
        response = do_record_response(referral, data, member=member)
    except InvalidField as error:
        raise HttpError(422, str(error)) from None
    return Status(201, response)


class ReportQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    election: str | None = Field(None, max_length=64)
    since: date | None = None
    until: date | None = None


@router.get("/transparency", operation_id="get_transparency_report", auth=None)
def get_transparency_report(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, object]:
    """The public transparency report for an election or a period (default: the last 30 days):
    per platform, country, language and category — reports, cases, decisions by outcome,
    referrals, response and action rates, median and p90 hours to action — with disparity
    ratios by language and country. Cells under BARAZA_REPORT_MIN_COUNT reports are suppressed
    and nothing public is computed from them (schema: docs/transparency-report.md)."""
    try:
        period = period_for(query.election, query.since, query.until)
    except BadPeriod as error:
        raise HttpError(422, str(error)) from None
    return public_report(request, period)


@router.get("/referrals/{referral_id}/notice", operation_id="get_referral_notice")
def get_referral_notice(request: HttpRequest, referral_id: int) -> dict[str, object]:
    """The referral as a standard notice, with the DSA statement-of-reasons field names where
    they apply."""
    return notice(get_object_or_404(_referrals(request), pk=referral_id))
