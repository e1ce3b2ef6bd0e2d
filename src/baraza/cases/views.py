"""Reviewer pages: the case queue and the case page. Members only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baraza.accounts.models import Member, member_of
from baraza.cases.actions import (
    COORDINATING_ROLES,
    TRANSITIONS,
    CaseActionError,
    check_may_curate,
    do_change_case_status,
    do_merge_cases,
    do_resolve_suggestion,
    do_split_case,
)
from baraza.cases.history import describe
from baraza.cases.models import Case, CaseStatus, CaseSuggestion
from baraza.cases.queries import FILTERS, case_file, case_queue, pending_links
from baraza.intake.actions import NoContact, do_reveal_contact, may_reveal_contact
from baraza.intake.models import Category, Platform, ReportQuerySet
from baraza.matching.library import FoundFactCheck, search_factchecks
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
    return render(
        request,
        "cases/case.html",
        {
            "case": found.case,
            "reports": found.reports,
            "factchecks": _matching_factchecks(found.reports),
            "suggestions": found.suggestions,
            "can_curate": _may_curate(found.case, member),
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


FACTCHECK_QUERIES = 3  # distinct report texts searched per case page


def _matching_factchecks(reports: ReportQuerySet) -> list[FoundFactCheck]:
    """The library's best matches for the case's first few distinct texts, best first. A bare
    URL says nothing about the claim, so only reports with text are searched."""
    if not FactCheck.objects.exists():
        return []
    texts: dict[str, str] = {}
    for text, language in reports.exclude(text="").values_list("text", "language"):
        texts.setdefault(text, language)
        if len(texts) == FACTCHECK_QUERIES:
            break
    best: dict[int, FoundFactCheck] = {}
    for text, language in texts.items():
        for hit in search_factchecks(text, top_k=3, language=language):
            known = best.get(hit.factcheck.pk)
            if hit.cosine >= settings.FACTCHECK_MIN_COSINE and (
                known is None or known.cosine < hit.cosine
            ):
                best[hit.factcheck.pk] = hit
    return sorted(best.values(), key=lambda hit: -hit.cosine)[:5]


def _may_curate(case: Case, member: Member | None) -> bool:
    if member is None:
        return False
    try:
        check_may_curate(case, member)
    except PermissionError:
        return False
    return True


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    return render(request, "cases/not_a_member.html", {"reason": str(error)}, status=403)


@login_required
@require_POST
def merge(request: HttpRequest, case_id: int) -> HttpResponse:
    member = member_of(request.user)
    if member is None:
        return render(request, "cases/not_a_member.html", status=403)
    source = case_file(request.user, case_id).case
    into = request.POST.get("into", "")
    target = (
        Case.objects.visible_to(request.user).filter(pk=int(into)).first()
        if into.isdigit()
        else None
    )
    if target is None:
        messages.error(
            request, _("There is no case %(number)s that you may see.") % {"number": into}
        )
        return redirect("case-page", case_id=case_id)
    try:
        do_merge_cases(source, target, member=member)
    except PermissionError as error:
        return _refused(request, error)
    except CaseActionError as error:
        messages.error(request, str(error))
        return redirect("case-page", case_id=case_id)
    return redirect("case-page", case_id=target.pk)


@login_required
@require_POST
def split(request: HttpRequest, case_id: int) -> HttpResponse:
    member = member_of(request.user)
    if member is None:
        return render(request, "cases/not_a_member.html", status=403)
    found = case_file(request.user, case_id)
    codes = request.POST.getlist("reports")
    ids = list(found.reports.filter(tracking_code__in=codes).values_list("pk", flat=True))
    try:
        new = do_split_case(found.case, ids, member=member)
    except PermissionError as error:
        return _refused(request, error)
    except CaseActionError as error:
        messages.error(request, str(error))
        return redirect("case-page", case_id=case_id)
    return redirect("case-page", case_id=new.pk)


@login_required
@require_POST
def resolve_suggestion(request: HttpRequest, case_id: int, suggestion_id: int) -> HttpResponse:
    member = member_of(request.user)
    if member is None:
        return render(request, "cases/not_a_member.html", status=403)
    case = case_file(request.user, case_id).case
    if not any(link.id == suggestion_id for link in pending_links(request.user, case)):
        raise Http404("no pending suggestion with this id on this case")
    suggestion = CaseSuggestion.objects.get(pk=suggestion_id)
    try:
        kept = do_resolve_suggestion(
            suggestion, confirm=request.POST.get("confirm") == "yes", member=member
        )
    except PermissionError as error:
        return _refused(request, error)
    except CaseActionError as error:
        messages.error(request, str(error))
        return redirect("case-page", case_id=case_id)
    return redirect("case-page", case_id=kept.pk)


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
