"""The public dashboard's live figures for the current election: reports per day, the top
categories, open referrals by recipient, and how fast recipients answer.

Report counts under BARAZA_REPORT_MIN_COUNT are shown as "fewer than N" (None here), as in the
transparency report; no total is shown, so none can be subtracted. Referral figures describe
recipients' behaviour, not reporters, and are shown as they are.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate
from django.utils import timezone

from baraza.accountability.models import Referral, Response, ResponseKind
from baraza.intake.models import Election, Report

DAYS = 30
TOP_CATEGORIES = 6


def current_election(today: date | None = None) -> Election | None:
    """The next election to vote (or one that voted in the last 30 days), else the latest."""
    today = today or timezone.localdate()
    upcoming = Election.objects.filter(voting_day__gte=today - timedelta(days=30))
    return upcoming.order_by("voting_day").first() or Election.objects.first()


@dataclass(frozen=True)
class Figures:
    election: Election | None
    days: list[tuple[date, int | None]]
    categories: list[tuple[str, int]]
    open_referrals: list[tuple[str, int]]
    response_hours: list[tuple[str, float, int]]  # recipient, median hours, sample size


def _shown(count: int) -> int | None:
    return count if count >= settings.REPORT_MIN_COUNT else None


def live_figures(election: Election | None) -> Figures:
    today = timezone.localdate()
    first_day = today - timedelta(days=DAYS - 1)
    reports = Report.objects.all()
    if election is not None:
        reports = reports.filter(election=election)
    recent = reports.filter(created_at__date__gte=first_day)
    per_day = dict(
        recent.annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    # A day without reports shows 0; a day with a few shows as hidden (None).
    days = [
        (day, _shown(n) if (n := per_day.get(day, 0)) else 0)
        for day in (first_day + timedelta(days=i) for i in range(DAYS))
    ]
    by_category = reports.values_list("category").annotate(n=Count("id")).order_by("-n")
    shown = [(category, n) for category, n in by_category if _shown(n) is not None]
    referrals = Referral.objects.filter(sent_at__isnull=False)
    if election is not None:
        referrals = referrals.filter(case__election=election)
    settled = Response.objects.filter(
        referral_id=OuterRef("pk"), kind__in=[ResponseKind.ACTIONED, ResponseKind.DECLINED]
    )
    open_by_recipient = (
        referrals.filter(~Exists(settled))
        .values_list("recipient__name")
        .annotate(n=Count("id"))
        .order_by("-n", "recipient__name")
    )
    return Figures(
        election=election,
        days=days,
        categories=shown[:TOP_CATEGORIES],
        open_referrals=list(open_by_recipient),
        response_hours=_response_hours(referrals),
    )


def _response_hours(referrals: Any) -> list[tuple[str, float, int]]:
    """Median hours from sending to the first answer (acknowledgement, action or refusal)."""
    hours: dict[str, list[float]] = defaultdict(list)
    answered = referrals.select_related("recipient").prefetch_related("responses")
    for referral in answered.iterator(chunk_size=2000):
        if (waited := referral.time_to_acknowledge) is not None:
            hours[referral.recipient.name].append(waited.total_seconds() / 3600)
    return sorted(
        (name, round(statistics.median(values), 1), len(values)) for name, values in hours.items()
    )
