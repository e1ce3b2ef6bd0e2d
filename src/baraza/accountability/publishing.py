"""What public report pages, files and the API share: a cache per period, and a rate limit on
the requests that miss it. A report over a million reports takes seconds of database time, and
anyone may ask for any period: without the limit, asking for many periods would be a cheap way
to load the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from baraza.accountability.report import Period, transparency_report
from baraza.ratelimits import enforce


def cached(key: str, build: Callable[[], Any]) -> Any:
    if not settings.REPORT_CACHE_SECONDS:
        return build()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.REPORT_CACHE_SECONDS)
    return value


def report_key(period: Period) -> str:
    """What a public report and anything drawn from it (its charts) are cached under."""
    return (
        f"transparency:{period.start.isoformat()}:{period.end.isoformat()}:{period.election}"
        f":{settings.REPORT_MIN_COUNT}"
    )


def public_report(request: HttpRequest, period: Period) -> dict[str, Any]:
    """The public report for a period: from the cache, or computed within the client's limit
    (BARAZA_REPORT_RATE); raises RateLimited past it."""

    def build() -> dict[str, Any]:
        enforce(request, "transparency_report", settings.REPORT_RATE)
        return transparency_report(period)

    return cached(report_key(period), build)
