"""The audit events accountability records (see `baraza.audit.events`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from baraza.accountability.models import RequestedAction, ResponseKind
from baraza.audit.events import (
    EventType,
    Payload,
    label,
    lowercase_first,
    moment,
    organisation_name,
)


def case_referred(payload: Payload) -> str:
    return _("Referred to %(recipient)s: %(action)s") % {
        "recipient": organisation_name(payload["recipient"]),
        "action": lowercase_first(label(RequestedAction, payload["requested_action"])),
    }


def response_recorded(payload: Payload) -> str:
    return _("Response to referral #%(referral)s: %(kind)s") % {
        "referral": int(payload["referral"]),
        "kind": lowercase_first(label(ResponseKind, payload["kind"])),
    }


def reminder_sent(payload: Payload) -> str:
    values = {"referral": int(payload["referral"]), "number": int(payload["reminder"])}
    if not payload.get("liaisons"):
        return _("Referral #%(referral)s overdue: no liaison to remind") % values
    return _("Referral #%(referral)s overdue: reminder %(number)s sent") % values


def research_key_created(payload: Payload) -> str:
    return _("Research key created for %(holder)s, valid until %(until)s") % {
        "holder": str(payload["holder"]),
        "until": moment(payload["expires_at"]),
    }


def research_key_revoked(payload: Payload) -> str:
    return _("Research key of %(holder)s revoked") % {"holder": str(payload["holder"])}


def research_query(payload: Payload) -> str | None:
    rows = int(payload["rows"])
    if payload.get("operation") == "research_reports":
        return ngettext(
            "Research query on reports: %(rows)s row",
            "Research query on reports: %(rows)s rows",
            rows,
        ) % {"rows": rows}
    if payload.get("operation") == "research_cases":
        return ngettext(
            "Research query on cases: %(rows)s row", "Research query on cases: %(rows)s rows", rows
        ) % {"rows": rows}
    return None


class AccountabilityEvent(EventType):
    CASE_REFERRED = "accountability.case_referred", gettext_lazy("Case referred"), case_referred
    RESPONSE_RECORDED = (
        "accountability.response_recorded",
        gettext_lazy("Response to a referral recorded"),
        response_recorded,
    )
    REMINDER_SENT = (
        "accountability.reminder_sent",
        gettext_lazy("Overdue referral: reminder sent"),
        reminder_sent,
    )
    RESEARCH_KEY_CREATED = (
        "accountability.research_key_created",
        gettext_lazy("Research key created"),
        research_key_created,
    )
    RESEARCH_KEY_REVOKED = (
        "accountability.research_key_revoked",
        gettext_lazy("Research key revoked"),
        research_key_revoked,
    )
    RESEARCH_QUERY = (
        "accountability.research_query",
        gettext_lazy("Research query"),
        research_query,
    )
