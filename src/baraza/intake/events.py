"""The audit events intake records (see `baraza.audit.events`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from baraza.audit.events import EventType, Payload


def report_submitted(payload: Payload) -> str | None:
    files = int(payload.get("files", 0))
    if not files:
        return None
    return ngettext(
        "Report received with %(count)s file", "Report received with %(count)s files", files
    ) % {"count": files}


def reports_imported(payload: Payload) -> str:
    return _("Reports imported: %(created)s new of %(rows)s rows (batch %(batch)s)") % {
        "created": int(payload["created"]),
        "rows": int(payload["rows"]),
        "batch": int(payload["batch"]),
    }


class IntakeEvent(EventType):
    REPORT_SUBMITTED = (
        "intake.report_submitted",
        gettext_lazy("Report received"),
        report_submitted,
    )
    REPORTS_IMPORTED = (
        "intake.reports_imported",
        gettext_lazy("Reports imported"),
        reports_imported,
    )
    CONTACT_REVEALED = "intake.contact_revealed", gettext_lazy("Reporter's contact shown")
