"""Public accountability pages: the transparency report (HTML, PDF, CSV), open data and the
dashboard. No login: everything here is published."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from baraza.accountability import opendata
from baraza.accountability.charts import Bars, svg
from baraza.accountability.dashboard import current_election, live_figures
from baraza.accountability.exports import disparity_csv, rows_csv
from baraza.accountability.forms import PeriodForm
from baraza.accountability.pdf import report_pdf
from baraza.accountability.publishing import cached, public_report, report_key
from baraza.accountability.report import Period, period_for
from baraza.audit.events import label
from baraza.errors import InvalidField
from baraza.intake.models import Channel, Election
from baraza.pages import add_to_form
from baraza.ratelimits import RateLimited

PAGE_CELLS = 40
CHART_GROUPS = 12


def _period(request: HttpRequest) -> tuple[PeriodForm, Period | None]:
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    try:
        period = period_for(data.get("election"), data.get("since"), data.get("until"))
    except InvalidField as error:
        add_to_form(form, error)
        return form, None
    return form, period


def report_charts(report: dict[str, Any]) -> list[Bars]:
    """Per dimension with more than one group: median hours to action, and action rate, for
    the groups with the most referrals (the tables carry them all)."""
    charts = []
    titles = {"language": _("by language"), "country": _("by country")}
    for dimension, full_table in report["disparity"].items():
        if len(full_table) < 2:
            continue
        table = sorted(full_table, key=lambda row: -row["referrals"])[:CHART_GROUPS]
        table.sort(key=lambda row: row["group"])
        timed = [row for row in table if row["median_hours_to_action"] is not None]
        charts.append(
            Bars(
                f"{_('Median hours to action')}, {titles[dimension]}",
                [row["group"] for row in timed],
                [row["median_hours_to_action"] for row in timed],
                "h",
            )
        )
        charts.append(
            Bars(
                f"{_('Share of referrals actioned')}, {titles[dimension]}",
                [row["group"] for row in table],
                [round(100 * row["action_rate"]) for row in table],
                "%",
            )
        )
    return charts


def _limited(error: RateLimited) -> HttpResponse:
    response = HttpResponse(str(error), status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(error.retry_after)
    return response


def transparency_page(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    if period is None:
        return render(request, "accountability/transparency.html", {"form": form}, status=422)
    try:
        report = public_report(request, period)
    except RateLimited as error:
        return _limited(error)
    # Keyed by the period, not the query string: extra parameters must not redraw the charts.
    charts = cached(
        f"{report_key(period)}:svg:{request.LANGUAGE_CODE}",
        # matplotlib escapes the labels it writes; the SVG is ours to insert.
        lambda: [mark_safe(svg(bars)) for bars in report_charts(report)],  # noqa: S308
    )
    # The page stays light on a slow connection: the largest cells here, all of them in the files.
    largest = sorted(report["rows"], key=lambda row: -row["reports"])[:PAGE_CELLS]
    context = {
        "form": form,
        "report": report,
        "largest_cells": largest,
        "channel_rows": [
            {"label": label(Channel, row["channel"]), "reports": row["reports"]}
            for row in report["channels"]
        ],
        "charts": charts,
        "elections": Election.objects.all()[:20],
        "query": request.GET.urlencode(),
    }
    return render(request, "accountability/transparency.html", context)


def _file(
    request: HttpRequest, build: Callable[[dict[str, Any]], Any], name: str, kind: str
) -> HttpResponse:
    form, period = _period(request)
    if period is None:
        errors = "; ".join(f"{field}: {' '.join(map(str, e))}" for field, e in form.errors.items())
        return HttpResponse(errors, status=422, content_type="text/plain; charset=utf-8")
    try:
        report = public_report(request, period)
    except RateLimited as error:
        return _limited(error)
    stem = f"baraza-transparency-{report['period']['start']}-{report['period']['end']}"
    response = HttpResponse(build(report), content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}"'
    return response


def transparency_rows_csv(request: HttpRequest) -> HttpResponse:
    return _file(request, rows_csv, "rows.csv", "text/csv; charset=utf-8")


def transparency_disparity_csv(request: HttpRequest) -> HttpResponse:
    return _file(request, disparity_csv, "disparity.csv", "text/csv; charset=utf-8")


def transparency_pdf(request: HttpRequest) -> HttpResponse:
    return _file(
        request,
        lambda report: report_pdf(report, report_charts(report)),
        "report.pdf",
        "application/pdf",
    )


def open_data_page(request: HttpRequest) -> HttpResponse:
    context = {"columns": opendata.COLUMNS, "version": opendata.OPEN_DATA_VERSION}
    return render(request, "accountability/open_data.html", context)


def _download(body: Any, name: str, kind: str) -> HttpResponseBase:
    if isinstance(body, bytes):
        response: HttpResponseBase = HttpResponse(body, content_type=kind)
    else:
        response = StreamingHttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="baraza-open-cases.{name}"'
    return response


def open_data_csv(request: HttpRequest) -> HttpResponseBase:
    return _download(opendata.csv_lines(opendata.open_cases()), "csv", "text/csv; charset=utf-8")


def open_data_jsonl(request: HttpRequest) -> HttpResponseBase:
    rows = opendata.jsonl_lines(opendata.open_cases())
    return _download(rows, "jsonl", "application/jsonl; charset=utf-8")


def open_data_parquet(request: HttpRequest) -> HttpResponseBase:
    body = cached("open-data:parquet", lambda: opendata.parquet_bytes(opendata.open_cases()))
    return _download(body, "parquet", "application/vnd.apache.parquet")


def dashboard_page(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("election", "")
    election = get_object_or_404(Election, slug=slug) if slug else current_election()
    figures = cached(f"dashboard:{election.pk if election else 0}", lambda: live_figures(election))
    chart = cached(
        f"dashboard-svg:{request.LANGUAGE_CODE}:{election.pk if election else 0}",
        lambda: mark_safe(  # noqa: S308 — matplotlib escapes what it writes
            svg(
                Bars(
                    _("Reports per day (last 30 days)"),
                    [day.strftime("%d %b") for day, _n in figures.days],
                    [n or 0 for _d, n in figures.days],
                    columns=True,
                )
            )
        ),
    )
    context = {"figures": figures, "chart": chart, "minimum": settings.REPORT_MIN_COUNT}
    return render(request, "accountability/dashboard.html", context)
