"""Reviewer pages: the case queue and the case page. Members only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baraza.accounts.models import member_of
from baraza.cases.actions import (
    COORDINATING_ROLES,
    TRANSITIONS,
    CaseActionError,
    do_change_case_status,
)
from baraza.cases.history import describe
from baraza.cases.models import CaseStatus
from baraza.cases.queries import FILTERS, case_file, case_queue
from baraza.intake.actions import NoContact, do_reveal_contact, may_reveal_contact
from baraza.intake.models import Category, Platform
from baraza.matching.library import search_factchecks
from baraza.matching.models import FactCheck


def _require_member(request: HttpRequest) -> HttpResponse | None:
    if member_of(request.user) is None:
        return render(request, "cases/not_a_member.html", status=403)
    return None


@login_required
def case_queue_page(request: HttpRequest) -> HttpResponse:
    if refused := _require_member(request):
        return refused
    filters = {name: request.GET.get(name) for name in (*FILTERS, "election")}
    page = Paginator(case_queue(request.user, filters), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": CaseStatus.choices,
        "categories": Category.choices,
        "platforms": Platform.choices,
    }
    return render(request, "cases/queue.html", context)


@login_required
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    if refused := _require_member(request):
        return refused
    member = member_of(request.user)
    found = case_file(request.user, case_id)
    first = found.reports.first()
    factchecks = (
        [
            hit
            for hit in search_factchecks(first.text, top_k=3, language=first.language)
            if hit.cosine >= settings.FACTCHECK_MIN_COSINE
        ]
        # A bare URL says nothing about the claim, so only reports with text are searched.
        if first is not None and first.text and FactCheck.objects.exists()
        else []
    )
    return render(
        request,
        "cases/case.html",
        {
            "case": found.case,
            "reports": found.reports,
            "factchecks": factchecks,
            "history": [(event.created_at, describe(event)) for event in found.timeline],
            "can_change_status": member is not None and member.role in COORDINATING_ROLES,
            "contact_readable": {
                r.pk for r in found.reports if r.has_contact and may_reveal_contact(r, member)
            },
            "next_statuses": [
                (s, CaseStatus(s).label) for s in sorted(TRANSITIONS[found.case.status])
            ],
        },
    )


@login_required
@require_POST
def change_status(request: HttpRequest, case_id: int) -> HttpResponse:
    member = member_of(request.user)
    if member is None:
        return render(request, "cases/not_a_member.html", status=403)
    case = case_file(request.user, case_id).case
    try:
        do_change_case_status(
            case, request.POST.get("status", ""), member=member, note=request.POST.get("note", "")
        )
    except PermissionError as error:
        return render(request, "cases/not_a_member.html", {"reason": str(error)}, status=403)
    except CaseActionError as error:
        messages.error(request, str(error))
    return redirect("case-page", case_id=case_id)


@login_required
@require_POST
def reveal_contact(request: HttpRequest, case_id: int, tracking_code: str) -> HttpResponse:
    member = member_of(request.user)
    if member is None:
        return render(request, "cases/not_a_member.html", status=403)
    found = case_file(request.user, case_id)
    report = found.reports.filter(tracking_code=tracking_code).first()
    if report is None:
        raise Http404("no such report in this case")
    try:
        contact = do_reveal_contact(report, member=member)
    except PermissionError as error:
        return render(request, "cases/not_a_member.html", {"reason": str(error)}, status=403)
    except NoContact:
        raise Http404("the reporter left no contact") from None
    context = {"case": found.case, "report": report, "contact": contact}
    return render(request, "cases/contact.html", context)
