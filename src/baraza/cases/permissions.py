"""Who may act on cases (the rules of cases' own actions; see accounts/permissions.py)."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from baraza.accounts.models import Member
from baraza.accounts.permissions import NOTHING, Capability, action_rule, can, coordinated_by_owner
from baraza.cases.models import Case
from baraza.tlp import TLP


class CaseAction(StrEnum):
    CHANGE_STATUS = "change_status"
    SHARE = "share"
    CURATE = "curate"  # merge, split, judge suggested links


coordinated_by_owner(
    Case,
    CaseAction.CHANGE_STATUS,
    refusal=_(
        "Only the secretariat or an administrator of the case's owning organisation "
        "changes its status."
    ),
)
coordinated_by_owner(
    Case,
    CaseAction.SHARE,
    refusal=_(
        "Only the secretariat or an administrator of the case's owning organisation shares it."
    ),
)


@action_rule(
    Case,
    CaseAction.CURATE,
    refusal=_(
        "Only reviewers, the secretariat and administrators merge or split cases; a TLP:AMBER "
        "or TLP:RED case only within its owning organisation."
    ),
)
def _curate(member: Member) -> Q:
    """Coalition-wide (clear, green) cases are anyone's to curate; others, their owner's."""
    if not can(member, Capability.CURATE):
        return NOTHING
    return Q(organisation_id=member.organisation_id) | Q(tlp__in=[TLP.CLEAR, TLP.GREEN])
