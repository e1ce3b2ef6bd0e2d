"""Review pages: the review of a case (assign, assess, read the consensus, decide, decide an
appeal) for members, and the public decision page with its appeal form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baraza.accounts.models import Member
from baraza.accounts.permissions import acting_member, may
from baraza.cases.models import Case, CaseStatus
from baraza.cases.queries import case_history, visible_case
from baraza.errors import ActionError
from baraza.pages import action_failed, require_member
from baraza.ratelimits import enforce
from baraza.review.access import reporters_report, reviewer_named, visible_decision
from baraza.review.actions import (
    OPEN_FOR_REVIEW,
    do_assign_case,
    do_decide_appeal,
    do_decide_case,
    do_file_appeal,
    do_submit_assessment,
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
from baraza.review.permissions import ReviewAction


def decision_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """Public for TLP:CLEAR cases; members see the decisions of cases they may see."""
    case, decision = visible_decision(request.user, case_id)
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


def _member_case(request: HttpRequest, case_id: int) -> tuple[Member, Case]:
    return require_member(request), visible_case(request.user, case_id)


def _page_context(request: HttpRequest, case: Case, member: Member) -> dict[str, Any]:
    assignments = Assignment.objects.filter(case=case).with_overdue()
    mine = assignments.filter(reviewer=member.user).first()
    my_current = Assessment.objects.current().filter(case=case, reviewer=member.user).first()
    appeal = Appeal.objects.pending_for(case)
    open_case = case.status in OPEN_FOR_REVIEW
    readable = may(member, ReviewAction.READ_ASSESSMENTS, case)
    deciding = may(member, ReviewAction.DECIDE, case)
    return {
        "case": case,
        "now": timezone.now(),
        "assignments": (
            assignments.select_related("reviewer", "organisation")
            if deciding
            else [mine]
            if mine
            else []
        ),
        "can_take": may(member, ReviewAction.TAKE, case) and mine is None and open_case,
        "can_assign": may(member, ReviewAction.ASSIGN, case) and open_case,
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
        "decision": Decision.objects.current_for(case),
        "may_refer": deciding and case.status == CaseStatus.DECIDED,
        "history": case_history(request.user, case),
    }


@login_required
def review_page(request: HttpRequest, case_id: int) -> HttpResponse:
    member, case = _member_case(request, case_id)
    return render(request, "review/case.html", _page_context(request, case, member))


def _back(case_id: int) -> str:
    return reverse("review-case", args=[case_id])


@login_required
@require_POST
def assign(request: HttpRequest, case_id: int) -> HttpResponse:
    member, case = _member_case(request, case_id)
    try:
        reviewer = reviewer_named(case, member, request.POST.get("reviewer", ""))
        do_assign_case(case, reviewer, by=member)
    except ActionError as error:
        return action_failed(request, error, _back(case_id))
    return redirect(_back(case_id))


@login_required
@require_POST
def assess(request: HttpRequest, case_id: int) -> HttpResponse:
    member, case = _member_case(request, case_id)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        context = _page_context(request, case, member) | {"assessment_form": form}
        return render(request, "review/case.html", context, status=422)
    current = Assessment.objects.current().filter(case=case, reviewer=member.user).first()
    correcting = request.POST.get("supersedes") == "yes" and current is not None
    try:
        do_submit_assessment(
            case,
            form.to_input(supersedes=current.pk if correcting and current else None),
            member=member,
        )
    except ActionError as error:
        return action_failed(request, error, _back(case_id))
    return redirect(_back(case_id))


@login_required
@require_POST
def decide(request: HttpRequest, case_id: int) -> HttpResponse:
    member, case = _member_case(request, case_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        context = _page_context(request, case, member) | {"decision_form": form}
        return render(request, "review/case.html", context, status=422)
    appeal = Appeal.objects.pending_for(case)
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
    except ActionError as error:
        return action_failed(request, error, _back(case_id))
    return redirect(_back(case_id))


@require_POST
def appeal(request: HttpRequest, case_id: int) -> HttpResponse:
    """From the public decision page: a reporter with a tracking code, or a logged-in member."""
    form = AppealForm(request.POST)
    member = acting_member(request.user)
    back = reverse("decision-page", args=[case_id])
    if not form.is_valid():
        messages.error(request, _("Say why the decision should change."))
        return redirect(back)
    report = None
    try:
        if member is None:
            enforce(request, "file_appeal", settings.PUBLIC_SUBMIT_RATE)
            report = reporters_report(case_id, form.cleaned_data["tracking_code"] or "")
            case = report.case_link.case
        else:
            case = visible_case(request.user, case_id)
        do_file_appeal(case, form.cleaned_data["grounds"], member=member, report=report)
    except ActionError as error:
        return action_failed(request, error, back)
    messages.success(
        request,
        _("Your appeal was received; reviewers who did not assess the case will look at it again."),
    )
    return redirect("decision-page", case_id=case_id)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Cases open for review that the member may see, with how far each review has come and
    a flag on those with an overdue reviewer; reviewers pick from here."""
    require_member(request)
    late = Assignment.objects.overdue().filter(case=OuterRef("pk"))
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
