"""Review pages: the review of a case (assign, assess, read the consensus, decide, decide an
appeal) for members, and the public decision page with its appeal form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baraza.accounts.models import Member, Role, member_of
from baraza.cases.models import Case, CaseStatus
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
    OPEN_FOR_REVIEW,
    InvalidField,
    ReviewError,
    current_decision,
    do_assign_case,
    do_decide_appeal,
    do_decide_case,
    do_file_appeal,
    do_submit_assessment,
    pending_appeal,
)
from baraza.review.consensus import latest_bridging, simple_consensus
from baraza.review.forms import AppealForm, AssessmentForm, DecisionForm
from baraza.review.markdown import render_markdown
from baraza.review.models import (
    Appeal,
    Assessment,
    Assignment,
    Decision,
)


def decision_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """Public for TLP:CLEAR cases; members see the decisions of cases they may see."""
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    decision = current_decision(case)
    if decision is None:
        raise Http404("this case has no decision yet")
    history = list(Decision.objects.filter(case=case).select_related("verdict"))
    context = {
        "case": case,
        "decision": decision,
        # Sanitised by nh3 in render_markdown: safe to insert.
        "reasons_html": mark_safe(render_markdown(decision.public_reasons)),  # noqa: S308
        "earlier": [d for d in history if d.pk != decision.pk],
        "claimreview_url": reverse("api:get_decision_claimreview", args=[case_id]),
        "appeal_form": AppealForm(),
        "appealable": case.status == CaseStatus.DECIDED
        and not Appeal.objects.filter(case=case).exists(),
    }
    return render(request, "review/decision.html", context)


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    return render(request, "cases/not_a_member.html", {"reason": str(error)}, status=403)


def _member_case(request: HttpRequest, case_id: int) -> tuple[Member, Case]:
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied("members only")
    return member, case_file(request.user, case_id).case


def _page_context(case: Case, member: Member) -> dict[str, Any]:
    mine = Assignment.objects.filter(case=case, reviewer=member.user).first()
    my_current = Assessment.objects.filter(
        case=case, reviewer=member.user, superseded_by__isnull=True
    ).first()
    appeal = pending_appeal(case)
    open_case = case.status in OPEN_FOR_REVIEW
    readable = may_read_assessments(case, member)
    deciding = may_decide(case, member)
    return {
        "case": case,
        "now": timezone.now(),
        "assignments": (
            Assignment.objects.filter(case=case).select_related("reviewer", "organisation")
            if deciding
            else [mine]
            if mine
            else []
        ),
        "can_take": member.role == Role.REVIEWER and mine is None and open_case,
        "can_assign": deciding and open_case,
        "can_assess": mine is not None and open_case and (my_current is None or appeal is None),
        "my_current": my_current,
        "assessments": (
            Assessment.objects.filter(case=case).select_related(
                "reviewer", "organisation", "verdict", "severity", "superseded_by"
            )
            if readable
            else None
        ),
        "simple": simple_consensus(case, appeal) if readable else None,
        "bridging": latest_bridging(case)[0] if readable else [],
        "appeal": appeal,
        "can_decide": deciding and case.status == CaseStatus.IN_REVIEW and appeal is None,
        "can_decide_appeal": deciding and appeal is not None,
        "assessment_form": AssessmentForm(),
        "decision_form": DecisionForm(),
        "decision": current_decision(case),
        "may_refer": deciding and case.status == CaseStatus.DECIDED,
    }


@login_required
def review_page(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        member, case = _member_case(request, case_id)
    except PermissionDenied:
        return render(request, "cases/not_a_member.html", status=403)
    return render(request, "review/case.html", _page_context(case, member))


def _back(case_id: int) -> HttpResponse:
    return redirect("review-case", case_id=case_id)


@login_required
@require_POST
def assign(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        member, case = _member_case(request, case_id)
        email = request.POST.get("reviewer", "")
        reviewer = reviewer_named(case, member, email)
        if reviewer is None:
            messages.error(request, _("No member has the email %(email)s.") % {"email": email})
            return _back(case_id)
        do_assign_case(case, reviewer, by=member)
    except (PermissionDenied, PermissionError) as error:
        return _refused(request, error)
    except ReviewError as error:
        messages.error(request, str(error))
    return _back(case_id)


@login_required
@require_POST
def assess(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        member, case = _member_case(request, case_id)
    except PermissionDenied as error:
        return _refused(request, error)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        context = _page_context(case, member) | {"assessment_form": form}
        return render(request, "review/case.html", context, status=422)
    current = Assessment.objects.filter(
        case=case, reviewer=member.user, superseded_by__isnull=True
    ).first()
    correcting = request.POST.get("supersedes") == "yes" and current is not None
    try:
        do_submit_assessment(
            case,
            form.to_input(supersedes=current.pk if correcting and current else None),
            member=member,
        )
    except PermissionError as error:
        return _refused(request, error)
    except (InvalidField, ReviewError) as error:
        messages.error(request, str(error))
    return _back(case_id)


@login_required
@require_POST
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        member, case = _member_case(request, case_id)
    except PermissionDenied as error:
        return _refused(request, error)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        context = _page_context(case, member) | {"decision_form": form}
        return render(request, "review/case.html", context, status=422)
    appeal = pending_appeal(case)
    try:
        if appeal is not None:
            uphold = request.POST.get("uphold") == "yes"
            do_decide_appeal(
                appeal,
                uphold=uphold,
                replacement=None if uphold else form.to_input(),
                override_reason=form.cleaned_data["override_reason"],
                member=member,
            )
        else:
            do_decide_case(case, form.to_input(), member=member)
    except PermissionError as error:
        return _refused(request, error)
    except (InvalidField, ReviewError) as error:
        messages.error(request, str(error))
    return _back(case_id)


@require_POST
def appeal(request: HttpRequest, case_id: int) -> HttpResponse:
    """From the public decision page: a reporter with a tracking code, or a logged-in member."""
    form = AppealForm(request.POST)
    member = member_of(request.user)
    if not form.is_valid():
        messages.error(request, _("Say why the decision should change."))
        return redirect("decision-page", case_id=case_id)
    report = None
    if member is None:
        enforce(request, "file_appeal", settings.PUBLIC_SUBMIT_RATE)
        try:
            report = reporters_report(case_id, form.cleaned_data["tracking_code"] or "")
        except tracking.InvalidTrackingCode as error:
            messages.error(request, str(error))
            return redirect("decision-page", case_id=case_id)
        if report is None:
            raise Http404("no decided case with this tracking code")
        case = report.case_link.case
    else:
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    try:
        do_file_appeal(case, form.cleaned_data["grounds"], member=member, report=report)
    except ReviewError as error:
        messages.error(request, str(error))
        return redirect("decision-page", case_id=case_id)
    messages.success(
        request,
        _("Your appeal was received; reviewers who did not assess the case will look at it again."),
    )
    return redirect("decision-page", case_id=case_id)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Cases open for review that the member may see, with how far each review has come and
    a flag on those with an overdue reviewer; reviewers pick from here."""
    member = member_of(request.user)
    if member is None:
        return render(request, "cases/not_a_member.html", status=403)
    late = Assignment.objects.filter(case=OuterRef("pk"), due_at__lt=timezone.now()).exclude(
        reviewer__in=Assessment.objects.filter(case=OuterRef("case")).values("reviewer")
    )
    cases = (
        Case.objects.visible_to(request.user)
        .filter(status__in=OPEN_FOR_REVIEW)
        .annotate(
            reviewers=Count("assignments", distinct=True),
            assessed=Count("assessments", distinct=True),
            overdue=Exists(late),
        )
        .order_by("-overdue", "-priority", "-created_at")
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(request, "review/queue.html", {"page": page, "now": timezone.now()})
