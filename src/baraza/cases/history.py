"""Audit events told in words, for the case page's history."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baraza.audit.models import AuditEvent
from baraza.cases.models import CaseReport, CaseStatus

ACTIONS = {
    "intake.report_submitted": gettext_lazy("Report received"),
    "cases.report_placed": gettext_lazy("Report added to the case"),
    "cases.status_changed": gettext_lazy("Status changed"),
    "cases.shared": gettext_lazy("Shared"),
    "intake.contact_revealed": gettext_lazy("Reporter's contact shown"),
}


def _status(value: object) -> str:
    return str(CaseStatus(str(value)).label) if value in CaseStatus.values else str(value)


def describe(event: AuditEvent) -> str:
    """One line in the reader's language; unknown actions fall back to their code."""
    words = str(ACTIONS.get(event.action, event.action))
    payload = event.payload
    if event.action == "cases.status_changed":
        words += f": {_status(payload.get('from'))} → {_status(payload.get('to'))}"
        if payload.get("note"):
            words += f" — {payload['note']}"
    elif event.action == "cases.report_placed" and payload.get("reason") in CaseReport.Reason:
        words += f" ({CaseReport.Reason(payload['reason']).label})"
    if event.actor_organisation:
        words += " · " + _("by %(organisation)s") % {"organisation": event.actor_organisation.name}
    return words
