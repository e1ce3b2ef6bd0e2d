"""The audit events matching records (see `baraza.audit.events`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baraza.audit.events import EventType, Payload


def factchecks_imported(payload: Payload) -> str:
    values = {"created": int(payload["created"]), "duplicates": int(payload["duplicates"])}
    if payload.get("by_operator"):
        return (
            _(
                "Fact-checks imported by an operator: %(created)s new, "
                "%(duplicates)s already in the library"
            )
            % values
        )
    return (
        _("Fact-checks imported: %(created)s new, %(duplicates)s already in the library") % values
    )


class MatchingEvent(EventType):
    FACTCHECKS_IMPORTED = (
        "matching.factchecks_imported",
        gettext_lazy("Fact-checks imported"),
        factchecks_imported,
    )
