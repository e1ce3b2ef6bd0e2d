"""The audit events accounts records (see `baraza.audit.events`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baraza.accounts.models import Role
from baraza.audit.events import EventType, Payload, label, lowercase_first, organisation_name


def member_created(payload: Payload) -> str:
    values = {
        "organisation": organisation_name(payload["organisation"]),
        "role": lowercase_first(label(Role, payload["role"])),
    }
    if payload.get("organisation_created"):
        return _("Member added to %(organisation)s (a new organisation) as %(role)s") % values
    return _("Member added to %(organisation)s as %(role)s") % values


def token_issued(payload: Payload) -> str:
    return _("API token %(hint)s… issued") % {"hint": str(payload["hint"])}


def token_revoked(payload: Payload) -> str:
    return _("API token %(hint)s… revoked") % {"hint": str(payload["hint"])}


class AccountEvent(EventType):
    MEMBER_CREATED = "accounts.member_created", gettext_lazy("Member added"), member_created
    TOKEN_ISSUED = "accounts.token_issued", gettext_lazy("API token issued"), token_issued
    TOKEN_REVOKED = "accounts.token_revoked", gettext_lazy("API token revoked"), token_revoked
