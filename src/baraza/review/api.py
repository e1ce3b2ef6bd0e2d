"""Review operations: the taxonomies, assignments, assessments and their consensus."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from pydantic import ConfigDict, Field

from baraza.accounts.auth import MemberToken, optional_member
from baraza.accounts.models import Member
from baraza.accounts.permissions import Capability, may, require, require_capability
from baraza.api_errors import errors
from baraza.cases.models import Case
from baraza.cases.queries import visible_case
from baraza.errors import NotFound
from baraza.ratelimits import enforce
from baraza.review.access import reporters_report, reviewer_named, visible_decision
from baraza.review.actions import (
    do_assign_case,
    do_decide_appeal,
    do_decide_case,
    do_file_appeal,
    do_submit_assessment,
)
from baraza.review.claimreview import claimreview
from baraza.review.consensus import latest_bridging, simple_consensus
from baraza.review.models import (
    Appeal,
    Assessment,
    Decision,
    Scheme,
    Term,
    TermQuerySet,
)
from baraza.review.permissions import ReviewAction
from baraza.review.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    AssessmentIn,
    AssessmentOut,
    AssignIn,
    AssignmentOut,
    ConsensusOut,
    DecisionForOwnerOut,
    DecisionIn,
    DecisionOut,
    TermOut,
)
from baraza.review.tasks import compute_bridging_scores

router = Router(tags=["review"], auth=MemberToken())


class TaxonomyFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    scheme: Scheme | None = Field(None, description="only the terms of this taxonomy")
    include_retired: bool = Field(False, description="also list retired terms")


@router.get(
    "/taxonomy",
    response={200: list[TermOut], **errors(401, 422)},
    operation_id="list_taxonomy",
)
def list_taxonomy(request: HttpRequest, filters: Query[TaxonomyFilters]) -> TermQuerySet:
    """Harm categories, verdicts, severities (with definitions), DISARM tactics and techniques,
    and DSA statement-of-reasons categories; one scheme with `scheme`. For members.

    These are the codes that assessments and decisions take (`verdict`, `severity`,
    `categories`, `techniques`, `dsa_category`): data the coalition's admins edit, not fixed
    enums, so read them here."""
    terms = Term.objects.select_related("parent")
    if not filters.include_retired:
        terms = terms.active()
    if filters.scheme:
        terms = terms.filter(scheme=filters.scheme)
    return terms


@router.post(
    "/cases/{case_id}/assignments",
    response={201: AssignmentOut, **errors(401, 403, 404, 409, 422)},
    operation_id="assign_case",
)
def assign_case(request: HttpRequest, case_id: int, payload: AssignIn) -> Status:
    """Assign a reviewer (the owner's secretariat, by email) or take the case yourself (a
    reviewer, leaving `reviewer` out); 403 for anyone else. Shares the case with the
    reviewer's organisation. A case closed to reviewers, a reviewer already assigned or with a
    conflict of interest is a 409."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = visible_case(request.user, case_id)
    reviewer = reviewer_named(case, member, payload.reviewer or "")
    return Status(201, do_assign_case(case, reviewer, by=member))


@router.post(
    "/cases/{case_id}/assessments",
    response={201: AssessmentOut, **errors(401, 403, 404, 409, 422)},
    operation_id="submit_assessment",
)
def submit_assessment(request: HttpRequest, case_id: int, payload: AssessmentIn) -> Status:
    """Your independent assessment of a case you are assigned to (403 otherwise). Immutable: to
    correct it, submit a new one with `supersedes` set to the old one's id. Taxonomy codes come
    from list_taxonomy; an unknown code is a 422 naming it. A case no longer in review is a
    409."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = visible_case(request.user, case_id)
    return Status(201, do_submit_assessment(case, payload.to_input(), member=member))


@router.get(
    "/cases/{case_id}/assessments",
    response={200: list[AssessmentOut], **errors(401, 403, 404)},
    operation_id="list_assessments",
)
def list_assessments(request: HttpRequest, case_id: int) -> list[Assessment]:
    """Every assessment of the case, superseded ones included; hidden (403) until you have
    submitted yours (the owner's secretariat, who decides, sees them all)."""
    case = visible_case(request.user, case_id)
    require(request.auth, ReviewAction.READ_ASSESSMENTS, case)  # type: ignore[attr-defined]
    return list(
        Assessment.objects.filter(case=case)
        .select_related("reviewer", "organisation", "verdict", "severity", "superseded_by")
        .prefetch_related("categories", "techniques")
    )


@router.get(
    "/cases/{case_id}/consensus",
    response={200: ConsensusOut, **errors(401, 403, 404)},
    operation_id="get_consensus",
)
def get_consensus(request: HttpRequest, case_id: int) -> dict[str, object]:
    """How far the case's assessments agree: `simple` weighs each organisation the same;
    `bridging` (from the latest nightly or on-demand fit over all assessments) says which
    verdicts are supported across viewpoints, not by one faction. Hidden (403), like the
    assessments, until you have submitted yours."""
    case = visible_case(request.user, case_id)
    require(request.auth, ReviewAction.READ_ASSESSMENTS, case)  # type: ignore[attr-defined]
    scores, computed_at = latest_bridging(case)
    return {
        "case_id": case.pk,
        "simple": simple_consensus(case),
        "bridging": scores,
        "bridging_computed_at": computed_at,
    }


@router.post(
    "/consensus/recompute",
    response={202: dict[str, bool], **errors(401, 403)},
    operation_id="recompute_bridging",
)
def recompute_bridging(request: HttpRequest) -> Status:
    """Queue a fresh fit of the bridging score over all assessments (it also runs nightly);
    answers `{"queued": true}`. For the secretariat and admins (403 for others)."""
    require_capability(
        request.auth,  # type: ignore[attr-defined]
        Capability.COORDINATE,
        "only the secretariat and admins recompute the bridging score",
    )
    compute_bridging_scores()
    return Status(202, {"queued": True})


@router.post(
    "/cases/{case_id}/decision",
    response={201: DecisionForOwnerOut, **errors(401, 403, 404, 409, 422)},
    operation_id="decide_case",
)
def decide_case(request: HttpRequest, case_id: int, payload: DecisionIn) -> Status:
    """The owner's secretariat records the outcome (403 for others): no action, out of scope,
    or a verdict with severity and categories; recommended actions; public reasons and private
    notes. Needs the quorum of assessments unless `override_reason` says why not (audited);
    a case not in review, under appeal, or short of the quorum is a 409."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = visible_case(request.user, case_id)
    return Status(201, do_decide_case(case, payload.to_input(), member=member))


def _decided_case(request: HttpRequest, case_id: int) -> tuple[Case, Decision, Member | None]:
    """A case the caller may see (anonymous callers: clear cases only) and its decision."""
    member = optional_member(request)
    case, decision = visible_decision(member.user if member else AnonymousUser(), case_id)
    return case, decision, member


@router.get(
    "/cases/{case_id}/decision",
    response={200: DecisionForOwnerOut, **errors(401, 404)},
    operation_id="get_decision",
    auth=None,
)
def get_decision(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case's current decision: public for TLP:CLEAR cases, otherwise for those who may see
    the case (a token is optional; a bad one is a 401). Only the owner's secretariat gets
    `private_notes` and `override_reason`. 404 for a case without a decision yet."""
    case, decision, member = _decided_case(request, case_id)
    owner = member is not None and may(member, ReviewAction.DECIDE, case)
    shape = DecisionForOwnerOut if owner else DecisionOut
    return JsonResponse(shape.from_orm(decision).model_dump(mode="json"))


@router.get(
    "/cases/{case_id}/decision/claimreview",
    response={200: dict[str, Any], **errors(401, 404)},
    operation_id="get_decision_claimreview",
    auth=None,
)
def get_decision_claimreview(request: HttpRequest, case_id: int) -> HttpResponse:
    """The decision as schema.org ClaimReview JSON-LD (`application/ld+json`): public for
    TLP:CLEAR cases, otherwise for those who may see the case, like get_decision."""
    _, decision, _ = _decided_case(request, case_id)
    page = request.build_absolute_uri(reverse("decision-page", args=[case_id]))
    return JsonResponse(claimreview(decision, page), content_type="application/ld+json")


@router.post(
    "/cases/{case_id}/appeals",
    response={201: AppealOut, **errors(401, 403, 404, 409, 422, 429)},
    operation_id="file_appeal",
    auth=None,
)
def file_appeal(request: HttpRequest, case_id: int, payload: AppealIn) -> Status:
    """Appeal a decision within the window, with grounds: as a member who may see the case
    (bearer token), or as the reporter with the tracking code of a report in the case
    (rate-limited per address, 429). Neither a token nor a tracking code is a 401; a case not
    decided, already appealed or past the window is a 409."""
    member = optional_member(request)
    report = None
    if member is None:
        enforce(request, "file_appeal", settings.PUBLIC_SUBMIT_RATE)
        if not payload.tracking_code:
            raise AuthenticationError(
                message="appeal with a member token, or give your tracking_code"
            )
        report = reporters_report(case_id, payload.tracking_code)
        case = report.case_link.case
    else:
        case = visible_case(member.user, case_id)
    return Status(201, do_file_appeal(case, payload.grounds, member=member, report=report))


@router.post(
    "/cases/{case_id}/appeals/{appeal_id}/decision",
    response={201: DecisionForOwnerOut, **errors(401, 403, 404, 409, 422)},
    operation_id="decide_appeal",
)
def decide_appeal(
    request: HttpRequest, case_id: int, appeal_id: int, payload: AppealDecisionIn
) -> Status:
    """Uphold the appealed decision, or replace it with `decision`: the owner's secretariat
    (403 for others). Needs the appeal panel's quorum of assessments unless `override_reason`
    says why not (409, as is an appeal already decided). Returns the decision in force."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = visible_case(request.user, case_id)
    appeal = Appeal.objects.filter(pk=appeal_id, case=case).first()
    if appeal is None:
        raise NotFound(f"case {case_id} has no appeal {appeal_id}")
    replacement = payload.decision.to_input() if payload.decision is not None else None
    kept = do_decide_appeal(
        appeal,
        uphold=payload.uphold,
        replacement=replacement,
        override_reason=payload.override_reason,
        member=member,
    )
    return Status(201, kept)
