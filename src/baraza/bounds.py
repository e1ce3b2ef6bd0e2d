"""Bounds for the dates people may ask about, in one place: a date far outside any election
(year 1, year 9999) is a mistake or a probe, and arithmetic on it overflows, so it is refused
with a 422 naming the parameter, never carried into a query."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from baraza.errors import InvalidField

EARLIEST = date(2000, 1, 1)
AHEAD = timedelta(days=366 * 5)


def latest() -> date:
    return timezone.localdate() + AHEAD


def check_period(since: date | None, until: date | None, *, location: str = "query") -> None:
    """Each day within EARLIEST and five years ahead, and since no later than until."""
    for name, value in (("since", since), ("until", until)):
        if value is not None and not EARLIEST <= value <= latest():
            raise InvalidField(
                name,
                _("Choose a day between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST.isoformat(), "latest": latest().isoformat()},
                location=location,
            )
    if since and until and since > until:
        raise InvalidField("since", _("The first day comes after the last."), location=location)
