"""`{% event_history events %}`: a list of audit events as a history, each told in words."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from baraza.audit.events import describe
from baraza.audit.models import AuditEvent

register = template.Library()


@register.inclusion_tag("audit/event_history.html")
def event_history(events: Iterable[AuditEvent] | None) -> dict[str, object]:
    """The events in the order given, each with its time and its words (`describe`), never the
    code of a declared event. Fetch them with `select_related("actor_organisation")`."""
    return {"lines": [(event.created_at, describe(event)) for event in events or ()]}
