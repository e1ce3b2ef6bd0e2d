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
    "cases.merged": gettext_lazy("Another case merged into this one"),
    "cases.split": gettext_lazy("Reports moved to a new case"),
    "cases.suggestion_rejected": gettext_lazy("Suggested link rejected: different claims"),
}
# Which payload field names the other case, for each action that involves two.
OTHER_CASE = {
    "cases.merged": "from_case",
    "cases.split": "to_case",
    "cases.suggestion_rejected": "candidate",
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
        if payload.get("similarity") is not None:
            words += " · " + _("similarity %(value).2f") % {"value": payload["similarity"]}
    elif event.action in OTHER_CASE and payload.get(OTHER_CASE[event.action]):
        words += " · " + _("case #%(number)s") % {"number": payload[OTHER_CASE[event.action]]}
    if event.actor_organisation:
        words += " · " + _("by %(organisation)s") % {"organisation": event.actor_organisation.name}
    return words
