"""Reviewer pages: the case queue and the case page. Members only.

The case page shows each report's pictures, videos and sounds as the media app made them safe
to view (derivatives without metadata), blurred until the reviewer asks unless they chose
otherwise, and the published fact-checks found by the same picture or by its words."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baraza.accounts.models import Member
from baraza.accounts.permissions import may
from baraza.cases.actions import (
    TRANSITIONS,
    do_change_case_status,
    do_merge_cases,
    do_resolve_suggestion,
    do_split_case,
)
from baraza.cases.media_links import matchable_text
from baraza.cases.models import CaseStatus
from baraza.cases.permissions import CaseAction
from baraza.cases.queries import (
    FILTERS,
    case_file,
    case_queue,
    visible_case,
    visible_suggestion,
)
from baraza.errors import ActionError, NotFound
from baraza.intake.actions import do_reveal_contact
from baraza.intake.models import Category, Platform, Report
from baraza.intake.permissions import ReportAction
from baraza.matching.library import FoundFactCheck, search_factchecks
from baraza.matching.models import FactCheck
from baraza.media.actions import shows_unblurred
from baraza.media.bank import KnownMatch, known_factchecks
from baraza.media.models import Medium
from baraza.media.permissions import MediumAction
from baraza.pages import action_failed, require_member


@login_required
def case_queue_page(request: HttpRequest) -> HttpResponse:
    require_member(request)
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
    member = require_member(request)
    found = case_file(request.user, case_id)
    contact_readable = (
        found.reports.actionable_by(member, ReportAction.REVEAL_CONTACT)
        .exclude(contact_encrypted="")
        .values_list("pk", flat=True)
    )
    # One query each for the media and the tipline messages, not one per report.
    reports = list(found.reports.prefetch_related("media", "chat_messages"))
    media = [medium for report in reports for medium in report.media.all()]
    return render(
        request,
        "cases/case.html",
        {
            "case": found.case,
            "reports": reports,
            "factchecks": _matching_factchecks(reports),
            "suggestions": found.suggestions,
            "can_curate": may(member, CaseAction.CURATE, found.case),
            "history": found.timeline,
            "can_change_status": may(member, CaseAction.CHANGE_STATUS, found.case),
            "contact_readable": set(contact_readable),
            "next_statuses": [
                (s, CaseStatus(s).label) for s in sorted(TRANSITIONS[found.case.status])
            ],
            **_media_context(member, reports, media),
        },
    )


def _media_context(member: Member, reports: list[Report], media: list[Medium]) -> dict[str, object]:
    if not media:
        return {"media_on_page": False}
    return {
        "media_on_page": True,
        "unblurred": shows_unblurred(member),
        "downloadable": _downloadable(member, media),
        "media_factchecks": _media_factchecks(reports, media),
        "viewing_form": any(medium.blurred_by_default for medium in media),
    }


def _downloadable(member: Member, media: list[Medium]) -> set[int]:
    """The media whose originals the member may download (the rule of `may`, in one query)."""
    return set(
        Medium.objects.filter(pk__in=[medium.pk for medium in media])
        .actionable_by(member, MediumAction.DOWNLOAD_ORIGINAL)
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class MediaFactCheck:
    """A published fact-check of the same picture, video or sound as a report of the case."""

    match: KnownMatch
    report: Report


MEDIA_LOOKUPS = 10  # distinct files looked up in the known-media bank per case page


def _media_factchecks(reports: list[Report], media: list[Medium]) -> list[MediaFactCheck]:
    """Fact-checks of the same files. A picture forwarded by many is looked up once (by its
    SHA-256), and only the first few distinct files: one lookup each."""
    report_of = {medium.pk: report for report in reports for medium in report.media.all()}
    distinct: dict[str, Medium] = {}
    for medium in media:
        if medium.is_ready and len(distinct) < MEDIA_LOOKUPS:
            distinct.setdefault(medium.sha256, medium)
    if not distinct or not Medium.objects.filter(factcheck__isnull=False).exists():
        return []
    return [
        MediaFactCheck(match, report_of[match.medium.pk])
        for match in known_factchecks(list(distinct.values()))
        if match.medium.pk in report_of
    ]


FACTCHECK_QUERIES = 3  # distinct report texts searched per case page


def _matching_factchecks(reports: list[Report]) -> list[FoundFactCheck]:
    """The library's best matches for the case's first few distinct texts, best first: a
    report's words and the words read in its pictures (a meme's claim is in the picture). A
    bare URL says nothing about the claim, so reports without words are not searched."""
    if not FactCheck.objects.exists():
        return []
    texts: list[str] = []
    for report in reports:
        ready = [medium for medium in report.media.all() if medium.is_ready]
        text = matchable_text(report, ready)
        if text and text not in texts:
            texts.append(text)
        if len(texts) == FACTCHECK_QUERIES:
            break
    best: dict[int, FoundFactCheck] = {}
    for text in texts:
        for hit in search_factchecks(text, top_k=3):
            known = best.get(hit.factcheck.pk)
            if hit.score >= settings.FACTCHECK_MIN_SCORE and (
                known is None or known.score < hit.score
            ):
                best[hit.factcheck.pk] = hit
    return sorted(best.values(), key=lambda hit: -hit.score)[:5]


def _back(case_id: int) -> str:
    return reverse("case-page", args=[case_id])


@login_required
@require_POST
def merge(request: HttpRequest, case_id: int) -> HttpResponse:
    member = require_member(request)
    source = visible_case(request.user, case_id)
    into = request.POST.get("into", "")
    try:
        target = visible_case(request.user, int(into) if into.isdigit() else 0)
    except NotFound:
        messages.error(
            request, _("There is no case %(number)s that you may see.") % {"number": into}
        )
        return redirect("case-page", case_id=case_id)
    try:
        do_merge_cases(source, target, member=member)
    except ActionError as error:
        return action_failed(request, error, _back(case_id))
    return redirect("case-page", case_id=target.pk)


@login_required
@require_POST
def split(request: HttpRequest, case_id: int) -> HttpResponse:
    member = require_member(request)
    found = case_file(request.user, case_id)
    codes = request.POST.getlist("reports")
    ids = list(found.reports.filter(tracking_code__in=codes).values_list("pk", flat=True))
    try:
        new = do_split_case(found.case, ids, member=member)
    except ActionError as error:
        return action_failed(request, error, _back(case_id))
    return redirect("case-page", case_id=new.pk)


@login_required
@require_POST
def resolve_suggestion(request: HttpRequest, case_id: int, suggestion_id: int) -> HttpResponse:
    member = require_member(request)
    suggestion = visible_suggestion(
        request.user, visible_case(request.user, case_id), suggestion_id
    )
    try:
        kept = do_resolve_suggestion(
            suggestion, confirm=request.POST.get("confirm") == "yes", member=member
        )
    except ActionError as error:
        return action_failed(request, error, _back(case_id))
    return redirect("case-page", case_id=kept.pk)


@login_required
@require_POST
def change_status(request: HttpRequest, case_id: int) -> HttpResponse:
    member = require_member(request)
    case = visible_case(request.user, case_id)
    try:
        do_change_case_status(
            case, request.POST.get("status", ""), member=member, note=request.POST.get("note", "")
        )
    except ActionError as error:
        return action_failed(request, error, _back(case_id))
    return redirect("case-page", case_id=case_id)


@login_required
@require_POST
def reveal_contact(request: HttpRequest, case_id: int, tracking_code: str) -> HttpResponse:
    member = require_member(request)
    found = case_file(request.user, case_id)
    report = found.reports.filter(tracking_code=tracking_code).first()
    if report is None:
        raise NotFound("no such report in this case")
    contact = do_reveal_contact(report, member=member)
    context = {"case": found.case, "report": report, "contact": contact}
    return render(request, "cases/contact.html", context)
