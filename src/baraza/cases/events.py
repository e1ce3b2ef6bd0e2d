"""The audit events cases records (see `baraza.audit.events`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from baraza.audit.events import Detail, EventType, Payload, label, organisation_names
from baraza.cases.models import CaseReport, CaseStatus


def report_placed(payload: Payload) -> str | None:
    if payload.get("reason") not in CaseReport.Reason.values:
        return None
    words = _("Report added to the case: %(reason)s") % {
        "reason": label(CaseReport.Reason, payload["reason"])
    }
    if payload.get("similarity") is not None:
        words += " · " + _("similarity %(value).2f") % {"value": float(payload["similarity"])}
    return words


def media_links_offered(payload: Payload) -> str:
    count = len(payload.get("suggested", []))
    return ngettext(
        "%(count)s case with the same picture, video or sound offered as a link",
        "%(count)s cases with the same picture, video or sound offered as links",
        count,
    ) % {"count": count}


def status_changed(payload: Payload) -> str:
    words = _("Status changed: %(from)s → %(to)s") % {
        "from": label(CaseStatus, payload.get("from")),
        "to": label(CaseStatus, payload.get("to")),
    }
    if payload.get("note"):
        words += f" — {payload['note']}"
    return words


def shared(payload: Payload) -> str | None:
    organisations = organisation_names(payload.get("organisations") or [])
    count = len(payload.get("people") or [])
    people = ngettext("%(count)s named person", "%(count)s named people", count) % {"count": count}
    if organisations and count:
        return _("Shared with %(organisations)s and %(people)s") % {
            "organisations": organisations,
            "people": people,
        }
    if organisations or count:
        return _("Shared with %(organisations)s") % {"organisations": organisations or people}
    return None


def _naming_case(field: str, sentence: Promise) -> Detail:
    """A detail that names the other case of a two-case event (its number in `field`)."""

    def detail(payload: Payload) -> str | None:
        if not payload.get(field):
            return None
        return str(sentence) % {"number": int(payload[field])}

    return detail


merged = _naming_case(
    "from_case", gettext_lazy("Another case merged into this one · case #%(number)s")
)
split = _naming_case("to_case", gettext_lazy("Reports moved to a new case · case #%(number)s"))
suggestion_rejected = _naming_case(
    "candidate", gettext_lazy("Suggested link rejected: different claims · case #%(number)s")
)


class CaseEvent(EventType):
    REPORT_PLACED = "cases.report_placed", gettext_lazy("Report added to the case"), report_placed
    STATUS_CHANGED = "cases.status_changed", gettext_lazy("Status changed"), status_changed
    SHARED = "cases.shared", gettext_lazy("Shared"), shared
    MERGED = "cases.merged", gettext_lazy("Another case merged into this one"), merged
    SPLIT = "cases.split", gettext_lazy("Reports moved to a new case"), split
    MEDIA_LINKS_OFFERED = (
        "cases.media_links_offered",
        gettext_lazy("Cases with the same picture, video or sound offered as links"),
        media_links_offered,
    )
    SUGGESTION_REJECTED = (
        "cases.suggestion_rejected",
        gettext_lazy("Suggested link rejected: different claims"),
        suggestion_rejected,
    )
