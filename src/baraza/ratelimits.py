"""Per-client rate limits on public operations, on Django's cache (Redis when scaled out)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/h" as (30, 3600): how many, in how many seconds."""
    count, unit = rate.rsplit("/", 1)
    return int(count), _PERIOD_SECONDS[unit]


class RateLimited(Exception):
    def __init__(self, rate: str) -> None:
        super().__init__(
            _("Too many requests from this address (limit %(rate)s). Please try again later.")
            % {"rate": rate}
        )
        self.retry_after = _PERIOD_SECONDS[rate.rsplit("/", 1)[1]]


def enforce(request: HttpRequest, group: str, rate: str, key: str | None = None) -> None:
    """Count this request against `rate` for its client address (or `key`, e.g. a username)."""
    if not settings.RATELIMIT_ENABLE:
        return
    limited = is_ratelimited(
        request,
        group=group,
        key="ip" if key is None else (lambda _group, _request: key),
        rate=rate,
        increment=True,
    )
    if limited:
        raise RateLimited(rate)
