"""Review operations: the taxonomies, assignments, assessments and their consensus."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from baraza.accounts.auth import MemberToken, optional_member
from baraza.accounts.models import Member
from baraza.cases.models import Case
from baraza.cases.queries import case_file
from baraza.intake import tracking
from baraza.ratelimits import enforce
from baraza.review.access import (
    may_decide,
    may_read_assessments,
    reporters_report,
    reviewer_named,
)
from baraza.review.actions import (
    COORDINATING_ROLES,
    AssessmentInput,
    DecisionInput,
    InvalidField,
    ReviewError,
    current_decision,
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

    scheme: Scheme | None = None
    include_retired: bool = False


@router.get("/taxonomy", response=list[TermOut], operation_id="list_taxonomy")
def list_taxonomy(request: HttpRequest, filters: Query[TaxonomyFilters]) -> TermQuerySet:
    """Harm categories, verdicts, severities (with definitions), DISARM tactics and techniques,
    and DSA statement-of-reasons categories; one scheme with `scheme`. For members."""
    terms = Term.objects.select_related("parent")
    if not filters.include_retired:
        terms = terms.active()
    if filters.scheme:
        terms = terms.filter(scheme=filters.scheme)
    return terms


def _case(request: HttpRequest, case_id: int) -> Case:
    return case_file(request.user, case_id).case


@router.post(
    "/cases/{case_id}/assignments", response={201: AssignmentOut}, operation_id="assign_case"
)
def assign_case(request: HttpRequest, case_id: int, payload: AssignIn) -> Status:
    """Assign a reviewer (the owner's secretariat, by email) or take the case yourself (a
    reviewer, leaving `reviewer` out). Shares the case with the reviewer's organisation."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = _case(request, case_id)
    reviewer = reviewer_named(case, member, payload.reviewer or "")
    if reviewer is None:
        raise HttpError(422, f"reviewer: no member with the email {payload.reviewer}")
    try:
        assignment = do_assign_case(case, reviewer, by=member)
    except ReviewError as error:
        raise HttpError(409, f"reviewer: {error}") from None
    return Status(201, assignment)


@router.post(
    "/cases/{case_id}/assessments", response={201: AssessmentOut}, operation_id="submit_assessment"
)
def submit_assessment(request: HttpRequest, case_id: int, payload: AssessmentIn) -> Status:
    """Your independent assessment of a case you are assigned to. Immutable: to correct it,
    submit a new one with `supersedes` set to the old one's id."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = _case(request, case_id)
    data = AssessmentInput(
        verdict=payload.verdict,
        severity=payload.severity,
        categories=payload.categories,
        techniques=payload.techniques,
        rationale=payload.rationale,
        evidence=[str(url) for url in payload.evidence],
        confidence=payload.confidence,
        supersedes=payload.supersedes,
    )
    try:
        assessment = do_submit_assessment(case, data, member=member)
    except InvalidField as error:
        raise HttpError(422, str(error)) from None
    except ReviewError as error:
        raise HttpError(409, str(error)) from None
    return Status(201, assessment)


def _check_may_read(case: Case, member: Member) -> None:
    if not may_read_assessments(case, member):
        raise PermissionError(
            "assessments stay hidden until you have submitted your own (independence)"
        )


@router.get(
    "/cases/{case_id}/assessments",
    response=list[AssessmentOut],
    operation_id="list_assessments",
)
def list_assessments(request: HttpRequest, case_id: int) -> list[Assessment]:
    """Every assessment of the case, superseded ones included; hidden until you have
    submitted yours (the owner's secretariat, who decides, sees them all)."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = _case(request, case_id)
    _check_may_read(case, member)
    return list(
        Assessment.objects.filter(case=case)
        .select_related("reviewer", "organisation", "verdict", "severity", "superseded_by")
        .prefetch_related("categories", "techniques")
    )


@router.get("/cases/{case_id}/consensus", response=ConsensusOut, operation_id="get_consensus")
def get_consensus(request: HttpRequest, case_id: int) -> dict[str, object]:
    """How far the case's assessments agree: `simple` weighs each organisation the same;
    `bridging` (from the latest nightly or on-demand fit over all assessments) says which
    verdicts are supported across viewpoints, not by one faction. Hidden, like the
    assessments, until you have submitted yours."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = _case(request, case_id)
    _check_may_read(case, member)
    scores, computed_at = latest_bridging(case)
    return {
        "case_id": case.pk,
        "simple": simple_consensus(case),
        "bridging": scores,
        "bridging_computed_at": computed_at,
    }


@router.post(
    "/consensus/recompute", response={202: dict[str, bool]}, operation_id="recompute_bridging"
)
def recompute_bridging(request: HttpRequest) -> Status:
    """Queue a fresh fit of the bridging score over all assessments (it also runs nightly).
    For the secretariat and admins."""
    member: Member = request.auth  # type: ignore[attr-defined]
    if member.role not in COORDINATING_ROLES:
        raise PermissionError("only the secretariat and admins recompute the bridging score")
    compute_bridging_scores()
    return Status(202, {"queued": True})


def _decision_input(payload: DecisionIn) -> DecisionInput:
    return DecisionInput(
        outcome=payload.outcome,
        public_reasons=payload.public_reasons,
        verdict=payload.verdict,
        severity=payload.severity,
        categories=payload.categories,
        dsa_category=payload.dsa_category,
        actions=[str(action) for action in payload.actions],
        private_notes=payload.private_notes,
        override_reason=payload.override_reason,
    )


@router.post(
    "/cases/{case_id}/decision",
    response={201: DecisionForOwnerOut},
    operation_id="decide_case",
)
def decide_case(request: HttpRequest, case_id: int, payload: DecisionIn) -> Status:
    """The owner's secretariat records the outcome: no action, out of scope, or a verdict with
    severity and categories; recommended actions; public reasons and private notes. Needs the
    quorum of assessments unless `override_reason` says why not (audited)."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = _case(request, case_id)
    data = _decision_input(payload)
    try:
        decision = do_decide_case(case, data, member=member)
    except InvalidField as error:
        raise HttpError(422, str(error)) from None
    except ReviewError as error:
        raise HttpError(409, str(error)) from None
    return Status(201, decision)


def _decided_case(request: HttpRequest, case_id: int) -> tuple[Case, Decision, Member | None]:
    """A case the caller may see (anonymous callers: clear cases only) and its decision."""
    member = optional_member(request)
    viewer = member.user if member else AnonymousUser()
    case = get_object_or_404(Case.objects.visible_to(viewer), pk=case_id)
    decision = current_decision(case)
    if decision is None:
        raise HttpError(404, "this case has no decision yet")
    return case, decision, member


@router.get(
    "/cases/{case_id}/decision",
    response={200: DecisionForOwnerOut},
    operation_id="get_decision",
    auth=None,
)
def get_decision(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case's current decision: public for TLP:CLEAR cases, otherwise for those who may see
    the case. Only the owner's secretariat gets `private_notes` and `override_reason`."""
    case, decision, member = _decided_case(request, case_id)
    shape = DecisionForOwnerOut if member is not None and may_decide(case, member) else DecisionOut
    return JsonResponse(shape.from_orm(decision).model_dump(mode="json"))


@router.get(
    "/cases/{case_id}/decision/claimreview",
    operation_id="get_decision_claimreview",
    auth=None,
)
def get_decision_claimreview(request: HttpRequest, case_id: int) -> HttpResponse:
    """The decision as schema.org ClaimReview JSON-LD (public for TLP:CLEAR cases)."""
    _, decision, _ = _decided_case(request, case_id)
    page = request.build_absolute_uri(reverse("decision-page", args=[case_id]))
    return JsonResponse(claimreview(decision, page), content_type="application/ld+json")


@router.post(
    "/cases/{case_id}/appeals", response={201: AppealOut}, operation_id="file_appeal", auth=None
)
def file_appeal(request: HttpRequest, case_id: int, payload: AppealIn) -> Status:
    """Appeal a decision within the window, with grounds: as a member who may see the case
    (bearer token), or as the reporter with the tracking code of a report in the case."""
    member = optional_member(request)
    report = None
    if member is None:
        enforce(request, "file_appeal", settings.PUBLIC_SUBMIT_RATE)
        if not payload.tracking_code:
            raise HttpError(401, "appeal with a member token, or give your tracking_code")
        try:
            report = reporters_report(case_id, payload.tracking_code)
        except tracking.InvalidTrackingCode as error:
            raise HttpError(422, f"tracking_code: {error}") from None
        if report is None:
            raise HttpError(404, "no decided case with this tracking code")
        case = report.case_link.case
    else:
        case = get_object_or_404(Case.objects.visible_to(member.user), pk=case_id)
    try:
        appeal = do_file_appeal(case, payload.grounds, member=member, report=report)
    except ReviewError as error:
        raise HttpError(409, str(error)) from None
    return Status(201, appeal)


@router.post(
    "/cases/{case_id}/appeals/{appeal_id}/decision",
    response={201: DecisionForOwnerOut},
    operation_id="decide_appeal",
)
def decide_appeal(
    request: HttpRequest, case_id: int, appeal_id: int, payload: AppealDecisionIn
) -> Status:
    """Uphold the appealed decision, or replace it with `decision`; needs the appeal panel's
    quorum of assessments unless `override_reason` says why not. Returns the decision in force."""
    member: Member = request.auth  # type: ignore[attr-defined]
    case = _case(request, case_id)
    appeal = get_object_or_404(Appeal, pk=appeal_id, case=case)
    replacement = _decision_input(payload.decision) if payload.decision is not None else None
    try:
        kept = do_decide_appeal(
            appeal,
            uphold=payload.uphold,
            replacement=replacement,
            override_reason=payload.override_reason,
            member=member,
        )
    except InvalidField as error:
        raise HttpError(422, str(error)) from None
    except ReviewError as error:
        raise HttpError(409, str(error)) from None
    return Status(201, kept)
