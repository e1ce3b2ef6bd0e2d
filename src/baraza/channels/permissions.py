"""Who may act on tipline senders (see accounts/permissions.py)."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baraza.accounts.models import Member
from baraza.accounts.permissions import NOTHING, Capability, action_rule, can
from baraza.channels.models import Sender


class SenderAction(StrEnum):
    BLOCK = "block"


def runs_the_tiplines(member: Member) -> bool:
    """Tipline reports are public reports, owned by the host organisation: its secretariat
    and admins run the tiplines."""
    return (
        can(member, Capability.COORDINATE)
        and member.organisation.slug == settings.HOST_ORGANISATION
    )


@action_rule(
    Sender,
    SenderAction.BLOCK,
    refusal=_("Only the host organisation's secretariat or administrators manage the tiplines."),
)
def _block(member: Member) -> Q:
    return Q() if runs_the_tiplines(member) else NOTHING
