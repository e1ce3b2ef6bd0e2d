"""Writing audit events: every `do_*` action calls `record` once, inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from baraza.accounts.models import User, member_of
from baraza.audit.models import AuditEvent


def record(
    action: str, obj: models.Model, actor: object = None, payload: dict[str, Any] | None = None
) -> AuditEvent:
    member = member_of(actor)
    return AuditEvent.objects.create(
        actor=actor if isinstance(actor, User) else None,
        actor_organisation=member.organisation if member else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        payload=payload or {},
    )
