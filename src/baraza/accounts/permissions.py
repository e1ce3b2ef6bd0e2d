"""Who may act, written once. Seeing is `visible_to(user)` (accounts/access.py); acting is here.

Two kinds of rule:

- **Capabilities** say what a role may do at all, whatever the object: `can(who, capability)`.
- **Action rules** say on which objects a member may act: each acted-on model's queryset has
  `actionable_by(who, action)` (NetBox's `restrict(user, action)`), built from a `Q` that the app
  owning the action registers with `@action_rule(Model, action)`. The same rule answers
  `may(who, action, obj)` (the predicate pages use to show or hide a form) and
  `require(who, action, obj)` (what actions call before they change anything; raises `Refused`).

Acting never widens seeing: pages and endpoints fetch objects through `visible_to` first (an
object one may not see answers 404), then ask whether the person may act on it (403).
Each app registers the rules for its own actions in its `permissions.py`, found here on first use,
so cases need not know the actions of review, and review those of accountability.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Generic, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from baraza.accounts.models import Member, Role, member_of
from baraza.errors import Refused

NOTHING = Q(pk__in=[])


class Capability(StrEnum):
    COORDINATE = "coordinate"  # decide, assign, refer, share, move cases: for their owner
    CURATE = "curate"  # merge and split cases, judge suggested links
    REVIEW = "review"  # take cases from the queue and assess them
    IMPORT_REPORTS = "import_reports"
    IMPORT_FACTCHECKS = "import_factchecks"
    ANSWER_REFERRALS = "answer_referrals"  # for the liaison's own organisation only
    ADMINISTER = "administer"  # taxonomy terms on the admin pages
    MANAGE_RESEARCH_KEYS = "manage_research_keys"


ROLES: dict[Capability, frozenset[str]] = {
    Capability.COORDINATE: frozenset({Role.SECRETARIAT, Role.ADMIN}),
    Capability.CURATE: frozenset({Role.REVIEWER, Role.SECRETARIAT, Role.ADMIN}),
    Capability.REVIEW: frozenset({Role.REVIEWER}),
    Capability.IMPORT_REPORTS: frozenset({Role.MONITOR, Role.SECRETARIAT, Role.ADMIN}),
    Capability.IMPORT_FACTCHECKS: frozenset({Role.REVIEWER, Role.SECRETARIAT, Role.ADMIN}),
    Capability.ANSWER_REFERRALS: frozenset({Role.PLATFORM_LIAISON}),
    Capability.ADMINISTER: frozenset({Role.ADMIN}),
    Capability.MANAGE_RESEARCH_KEYS: frozenset({Role.ADMIN}),
}
# Research keys open coalition-wide green data to outsiders: that is the coalition's decision,
# so only the host organisation's admins hold this capability, not every organisation's.
HOST_ONLY = {Capability.MANAGE_RESEARCH_KEYS}


def acting_member(who: object) -> Member | None:
    """The member behind a user or a member; None for anyone else (anonymous, inactive)."""
    if isinstance(who, Member):
        return who if who.user.is_active else None
    return member_of(who)


def can(who: object, capability: Capability) -> bool:
    member = acting_member(who)
    if member is None or member.role not in ROLES[capability]:
        return False
    return capability not in HOST_ONLY or member.organisation.slug == settings.HOST_ORGANISATION


def require_capability(who: object, capability: Capability, refusal: str) -> Member:
    member = acting_member(who)
    if member is None or not can(member, capability):
        raise Refused(refusal)
    return member


def coordinators_of(member: Member, owner_field: str = "organisation_id") -> Q:
    """The objects whose owner is the member's organisation, when the member coordinates it
    (its secretariat or admins): the rule behind deciding, assigning, sharing and referring."""
    if not can(member, Capability.COORDINATE):
        return NOTHING
    return Q(**{owner_field: member.organisation_id})


Rule = Callable[[Member], Q]


class _Registered:
    def __init__(self, rule: Rule, refusal: str | Promise) -> None:
        self.rule = rule
        self.refusal = refusal


_RULES: dict[tuple[type[models.Model], str], _Registered] = {}
_discovered = False


def action_rule(
    model: type[models.Model], action: str, *, refusal: str | Promise
) -> Callable[[Rule], Rule]:
    """Register who may do `action` on `model`: a function from the member to a `Q` over the
    model. `refusal` is what a refused person reads."""

    def register(rule: Rule) -> Rule:
        _RULES[(model, str(action))] = _Registered(rule, refusal)
        return rule

    return register


def _registered(model: type[models.Model], action: str) -> _Registered:
    global _discovered
    key = (model, str(action))
    if key not in _RULES and not _discovered:
        autodiscover_modules("permissions")
        _discovered = True
    try:
        return _RULES[key]
    except KeyError:
        raise LookupError(f"no rule says who may {action} a {model._meta.label}") from None


def coordinated_by_owner(
    model: type[models.Model],
    action: str,
    *,
    refusal: str | Promise,
    owner_field: str = "organisation_id",
) -> None:
    """Register the commonest rule: the owner's secretariat and admins do `action`."""
    action_rule(model, action, refusal=refusal)(lambda member: coordinators_of(member, owner_field))


M = TypeVar("M", bound=models.Model)


class ActionableQuerySet(models.QuerySet[M], Generic[M]):
    def actionable_by(self, who: object, action: str) -> Self:
        """The objects of this queryset on which `who` (a user or a member) may do `action`."""
        registered = _registered(self.model, action)
        member = acting_member(who)
        if member is None:
            return self.none()
        return self.filter(registered.rule(member))


def may(who: object, action: str, obj: models.Model) -> bool:
    """May `who` do `action` on `obj`? The predicate pages use to show or hide a form."""
    manager: Any = type(obj)._default_manager
    return bool(manager.actionable_by(who, action).filter(pk=obj.pk).exists())


def require(who: object, action: str, obj: models.Model) -> Member:
    """What an action calls first: the acting member, or `Refused` with the rule's words."""
    registered = _registered(type(obj), action)
    member = acting_member(who)
    if member is None or not may(member, action, obj):
        raise Refused(str(registered.refusal))
    return member
