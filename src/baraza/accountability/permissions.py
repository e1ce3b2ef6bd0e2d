"""Who may act in accountability (see accounts/permissions.py)."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baraza.accountability.models import Referral
from baraza.accounts.models import Member
from baraza.accounts.permissions import (
    NOTHING,
    Capability,
    action_rule,
    can,
    coordinated_by_owner,
    coordinators_of,
)
from baraza.cases.models import Case


class ReferralAction(StrEnum):
    REFER = "refer"  # on a case
    RESPOND = "respond"  # on a referral


coordinated_by_owner(
    Case, ReferralAction.REFER, refusal=_("Only the case owner's secretariat refers it.")
)


@action_rule(
    Referral,
    ReferralAction.RESPOND,
    refusal=_("Only the recipient's liaisons or the referring secretariat record an answer."),
)
def _respond(member: Member) -> Q:
    liaison = (
        Q(recipient_id=member.organisation_id)
        if can(member, Capability.ANSWER_REFERRALS)
        else NOTHING
    )
    return liaison | coordinators_of(member, "case__organisation_id")
