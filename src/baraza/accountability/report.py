"""The transparency report: what was reported, decided and referred, and how fast and how often
recipients acted, per platform x country x language x category, with disparity ratios.

Privacy rule for public outputs: a cell (one platform, country, language and category) with
fewer than BARAZA_REPORT_MIN_COUNT reports is suppressed, and every public number — totals, the
language and country tables, the disparity ratios — is computed from the published cells only.
No arithmetic on public numbers can therefore recover a suppressed count: suppressed data never
enter them. The price is that small groups drop out of the totals, which the report says.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone

from baraza.accountability.models import Referral, Response, ResponseKind
from baraza.bounds import check_period
from baraza.cases.models import CaseReport
from baraza.errors import InvalidField
from baraza.intake.models import Election
from baraza.review.models import Decision

SCHEMA_VERSION = "1"
Key = tuple[str, str, str, str]  # platform, country, language, category


@dataclass
class Cell:
    reports: int = 0
    cases: int = 0
    decisions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    referrals: int = 0
    answered: int = 0
    actioned: int = 0
    hours_to_action: list[float] = field(default_factory=list)
    channels: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1], 2)


def _measures(cell: Cell) -> dict[str, Any]:
    return {
        "reports": cell.reports,
        "cases": cell.cases,
        "decisions": dict(sorted(cell.decisions.items())),
        "referrals": cell.referrals,
        "response_rate": round(cell.answered / cell.referrals, 4) if cell.referrals else None,
        "action_rate": round(cell.actioned / cell.referrals, 4) if cell.referrals else None,
        "median_hours_to_action": _quantile(cell.hours_to_action, 0.5),
        "p90_hours_to_action": _quantile(cell.hours_to_action, 0.9),
        "actioned": cell.actioned,
    }


def _merge(cells: list[Cell]) -> Cell:
    total = Cell()
    for cell in cells:
        total.reports += cell.reports
        total.cases += cell.cases
        for outcome, count in cell.decisions.items():
            total.decisions[outcome] += count
        total.referrals += cell.referrals
        total.answered += cell.answered
        total.actioned += cell.actioned
        total.hours_to_action += cell.hours_to_action
        for channel, count in cell.channels.items():
            total.channels[channel] += count
    return total


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime  # exclusive
    election: str | None = None

    @classmethod
    def of(cls, election: Election | None, since: date | None, until: date | None) -> Period:
        if election is not None:
            voting = election.voting_day
            since = since or (voting - timedelta(days=90) if voting else date(2000, 1, 1))
            until = until or (voting + timedelta(days=30) if voting else timezone.localdate())
        since = since or timezone.localdate() - timedelta(days=30)
        until = until or timezone.localdate()
        zone = timezone.get_current_timezone()
        return cls(
            datetime.combine(since, time.min, zone),
            datetime.combine(until + timedelta(days=1), time.min, zone),
            election.slug if election else None,
        )


CASE_FIELDS = ("platform", "country", "language", "category")


def _key(row: dict[str, Any], prefix: str) -> Key:
    platform, country, language, category = (row[prefix + name] for name in CASE_FIELDS)
    return (platform, country, language or "und", category)


def period_for(election_slug: str | None, since: date | None, until: date | None) -> Period:
    """The period a report or dashboard asks for; InvalidField names the field that is wrong."""
    election = None
    if election_slug:
        election = Election.objects.filter(slug=election_slug).first()
        if election is None:
            raise InvalidField("election", f"no election {election_slug}", location="query")
    check_period(since, until)
    return Period.of(election, since, until)


def _cells(period: Period) -> dict[Key, Cell]:
    """Aggregated in the database: one grouped query each for reports and decisions; the
    period's referrals come back as one row each (key, sent, answered, first action), as
    their times are needed for the quantiles anyway."""
    cells: dict[Key, Cell] = defaultdict(Cell)
    links = CaseReport.objects.filter(
        report__created_at__gte=period.start, report__created_at__lt=period.end
    )
    if period.election:
        links = links.filter(case__election__slug=period.election)
    by_case = [f"case__{name}" for name in CASE_FIELDS]
    for row in links.values(*by_case).annotate(n=Count("id"), k=Count("case", distinct=True)):
        cell = cells[_key(row, "case__")]
        cell.reports += row["n"]
        cell.cases += row["k"]
    for row in links.values(*by_case, "report__channel").annotate(n=Count("id")):
        cells[_key(row, "case__")].channels[row["report__channel"]] += row["n"]
    in_period = Exists(links.filter(case_id=OuterRef("case_id")))
    decisions = Decision.objects.current().filter(in_period)
    referrals_of = Referral.objects.filter(in_period, sent_at__isnull=False)
    if period.election:
        # Outside the EXISTS too, so the database narrows by election before probing reports.
        decisions = decisions.filter(case__election__slug=period.election)
        referrals_of = referrals_of.filter(case__election__slug=period.election)
    for row in decisions.values(*by_case, "outcome").annotate(n=Count("id")):
        cells[_key(row, "case__")].decisions[row["outcome"]] += row["n"]
    responses = Response.objects.filter(referral_id=OuterRef("pk"))
    referrals = referrals_of.order_by().annotate(
        answered=Exists(responses.exclude(kind=ResponseKind.NO_ANSWER)),
        first_action=Subquery(
            responses.filter(kind=ResponseKind.ACTIONED)
            .order_by("responded_at", "id")
            .values("responded_at")[:1]
        ),
    )
    # One pass over the referrals (a tenth of the reports at most): counting them in Python
    # costs less than a second scan of the period's reports for a grouped query.
    rows = referrals.values_list(*by_case, "sent_at", "answered", "first_action")
    for *key, sent_at, answered, first_action in rows.iterator(chunk_size=10_000):
        cell = cells[_key(dict(zip(by_case, key, strict=True)), "case__")]
        cell.referrals += 1
        cell.answered += bool(answered)
        if first_action is not None:
            cell.actioned += 1
            cell.hours_to_action.append((first_action - sent_at).total_seconds() / 3600)
    return cells


def _disparities(rows: dict[str, Cell]) -> list[dict[str, Any]]:
    """Each group's median time-to-action and action rate against the best-served group's."""
    stats = {
        name: (_quantile(cell.hours_to_action, 0.5), cell.actioned / cell.referrals)
        for name, cell in rows.items()
        if cell.referrals
    }
    medians = [m for m, _ in stats.values() if m is not None]
    best_median = min(medians) if medians else None
    best_rate = max((rate for _, rate in stats.values()), default=0.0)
    table = []
    for name, (median, rate) in sorted(stats.items()):
        table.append(
            {
                "group": name,
                "referrals": rows[name].referrals,
                "actioned": rows[name].actioned,
                "median_hours_to_action": median,
                "action_rate": round(rate, 4),
                "time_ratio": round(median / best_median, 3)
                if median is not None and best_median
                else None,
                "action_rate_ratio": round(rate / best_rate, 3) if best_rate else None,
            }
        )
    return table


def _channels(published: Iterable[Cell], minimum: int) -> list[dict[str, Any]]:
    """Reports of the published cells by the channel they came in by (web form, Telegram,
    SMS...); a channel with fewer than the minimum count is left out, as a cell would be."""
    counts = _merge(list(published)).channels
    return [
        {"channel": channel, "reports": count}
        for channel, count in sorted(counts.items())
        if count >= minimum
    ]


def transparency_report(period: Period, *, public: bool = True) -> dict[str, Any]:
    minimum = settings.REPORT_MIN_COUNT if public else 0
    cells = _cells(period)
    published = {key: cell for key, cell in cells.items() if cell.reports >= minimum}
    suppressed = len(cells) - len(published)
    by_language: dict[str, list[Cell]] = defaultdict(list)
    by_country: dict[str, list[Cell]] = defaultdict(list)
    for (_, country, language, _), cell in published.items():
        by_language[language].append(cell)
        by_country[country].append(cell)
    return {
        "schema": "baraza-transparency-report",
        "schema_version": SCHEMA_VERSION,
        "period": {
            "start": period.start.date().isoformat(),
            "end": (period.end - timedelta(days=1)).date().isoformat(),
            "election": period.election,
        },
        "minimum_count": minimum,
        "suppressed_cells": suppressed,
        "rows": [
            {"platform": p, "country": c, "language": lang, "category": cat, **_measures(cell)}
            for (p, c, lang, cat), cell in sorted(published.items())
        ],
        "totals": _measures(_merge(list(published.values()))),
        "channels": _channels(published.values(), minimum),
        "disparity": {
            "language": _disparities({k: _merge(v) for k, v in by_language.items()}),
            "country": _disparities({k: _merge(v) for k, v in by_country.items()}),
        },
    }
