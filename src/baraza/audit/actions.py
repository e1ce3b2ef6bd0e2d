"""Writing audit events: every `do_*` action calls `record` once, inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from baraza.accounts.models import User, member_of
from baraza.audit.events import EventType, event_type
from baraza.audit.models import AuditEvent


def record(
    action: EventType | str,
    obj: models.Model,
    actor: object = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one event about `obj`. `action` is a member of an app's event enum (a declared
    code is accepted too, for now); an undeclared code raises `UnknownEventType`."""
    kind = event_type(action)
    member = member_of(actor)
    return AuditEvent.objects.create(
        actor=actor if isinstance(actor, User) else None,
        actor_organisation=member.organisation if member else None,
        action=kind.code,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        payload=payload or {},
    )
