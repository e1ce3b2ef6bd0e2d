"""Referral operations: refer a decided case, list and read referrals, record responses,
export a referral as a DSA-shaped notice."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from baraza.accountability.actions import ResponseInput, do_record_response, do_refer_case
from baraza.accountability.models import Referral, ReferralQuerySet
from baraza.accountability.notice import notice
from baraza.accountability.publishing import public_report
from baraza.accountability.queries import referrals_for, visible_referral
from baraza.accountability.report import period_for
from baraza.accountability.schemas import ReferIn, ReferralOut, ResponseIn, ResponseOut
from baraza.accounts.auth import MemberToken
from baraza.accounts.models import Member, Organisation
from baraza.api_errors import errors
from baraza.cases.queries import visible_case
from baraza.errors import InvalidField
from baraza.pagination import Page

router = Router(tags=["accountability"], auth=MemberToken())


@router.post(
    "/cases/{case_id}/referrals",
    response={201: ReferralOut, **errors(401, 403, 404, 409, 422)},
    operation_id="refer_case",
)
def refer_case(request: HttpRequest, case_id: int, payload: ReferIn) -> Status:
    """Refer a decided case to a platform, election body, regulator, police or press council
    (once per recipient); its liaisons are emailed and the response clock starts. The owning
    organisation's secretariat and admins (403 for others); a case not decided, or already
    referred to this recipient, is a 409."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = visible_case(request.user, case_id)
    recipient = Organisation.objects.filter(slug=payload.recipient).first()
    if recipient is None:
        raise InvalidField("recipient", f"no organisation {payload.recipient}")
    referral = do_refer_case(
        case,
        recipient=recipient,
        requested_action=payload.requested_action,
        evidence=[str(url) for url in payload.evidence],
        note=payload.note,
        member=member,
    )
    return Status(201, referral)


@router.get(
    "/referrals",
    response={200: list[ReferralOut], **errors(401, 422)},
    operation_id="list_referrals",
)
@paginate(Page)
def list_referrals(request: HttpRequest) -> ReferralQuerySet:
    """Referrals you may see: your organisation's (secretariat, admins), or those sent to your
    organisation (platform liaisons)."""
    return referrals_for(request.user)


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralOut, **errors(401, 404)},
    operation_id="get_referral",
)
def get_referral(request: HttpRequest, referral_id: int) -> Referral:
    """One referral you may see, with its clocks and responses."""
    return visible_referral(request.user, referral_id)


@router.post(
    "/referrals/{referral_id}/responses",
    response={201: ResponseOut, **errors(401, 403, 404, 422)},
    operation_id="record_response",
)
def record_response(request: HttpRequest, referral_id: int, payload: ResponseIn) -> Status:
    """Record the recipient's answer (its liaisons; or the secretariat, for answers received
    by other channels; 403 for others). `responded_at` carries its time zone; clocks are kept
    in UTC. An actioned response says what was done (`decision_visibility` or
    `decision_account`); a declined one gives the `reason`."""
    member: Member = request.auth  # type: ignore[attr-defined]
    referral = visible_referral(request.user, referral_id)
    data = ResponseInput(
        kind=payload.kind,
        responded_at=payload.responded_at,
        decision_visibility=payload.decision_visibility or "",
        decision_account=payload.decision_account or "",
        reason=payload.reason,
    )
    return Status(201, do_record_response(referral, data, member=member))


class ReportQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    election: str | None = Field(
        None,
        max_length=64,
        description="the election's slug: by default its period runs from 90 days before "
        "voting day to 30 days after",
    )
    since: date | None = Field(None, description="the period's first day (default: 30 days ago)")
    until: date | None = Field(None, description="the period's last day (default: today)")


@router.get(
    "/transparency",
    response={200: dict[str, Any], **errors(422, 429)},
    operation_id="get_transparency_report",
    auth=None,
)
def get_transparency_report(request: HttpRequest, query: Query[ReportQuery]) -> dict[str, object]:
    """The public transparency report for an election or a period (default: the last 30 days):
    per platform, country, language and category — reports, cases, decisions by outcome,
    referrals, response and action rates, median and p90 hours to action — with disparity
    ratios by language and country. Cells under BARAZA_REPORT_MIN_COUNT reports are suppressed
    and nothing public is computed from them (schema: docs/transparency-report.md). Public;
    reports not in the cache are rate-limited per address (429)."""
    return public_report(request, period_for(query.election, query.since, query.until))


@router.get(
    "/referrals/{referral_id}/notice",
    response={200: dict[str, Any], **errors(401, 404)},
    operation_id="get_referral_notice",
)
def get_referral_notice(request: HttpRequest, referral_id: int) -> dict[str, object]:
    """The referral as a standard notice, with the DSA statement-of-reasons field names where
    they apply; for those who may see the referral."""
    return notice(visible_referral(request.user, referral_id))
