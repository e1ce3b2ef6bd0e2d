"""The access rules, written once: TLP 2.0 as a queryset filter.

Every model that carries shared information inherits `TLPProtected` and gets `.visible_to(user)`.
Views and API operations never filter by hand; they start from `Model.objects.visible_to(user)`.

- anonymous: clear only;
- any member: clear and green;
- amber: members of the owning organisation, and of organisations it is shared with;
- red: only the people named on it.
"""

from __future__ import annotations

from typing import Any, Generic, Self, TypeVar

from django.db import models
from django.db.models import Q

from baraza.accounts.models import Organisation, User, member_of
from baraza.accounts.permissions import ActionableQuerySet
from baraza.tlp import TLP

M = TypeVar("M", bound="TLPProtected")


def tlp_rule(model: type[TLPProtected], user: object) -> Q:
    member = member_of(user)
    if member is None:
        return Q(tlp=TLP.CLEAR)
    shared = model.shared_with.through._default_manager.filter(
        organisation_id=member.organisation_id
    )
    named = model.recipients.through._default_manager.filter(user_id=member.user_id)
    fk = f"{model._meta.model_name}_id"
    return (
        Q(tlp__in=[TLP.CLEAR, TLP.GREEN])
        | Q(tlp=TLP.AMBER, organisation_id=member.organisation_id)
        | Q(tlp=TLP.AMBER, pk__in=shared.values(fk))
        | Q(tlp=TLP.RED, pk__in=named.values(fk))
    )


class TLPQuerySet(ActionableQuerySet[M], Generic[M]):
    """`visible_to` (TLP) and, from ActionableQuerySet, `actionable_by` (accounts/permissions)."""

    def visible_to(self, user: object) -> Self:
        return self.filter(tlp_rule(self.model, user))

    def for_research(self) -> Self:
        """What holders of research keys may read: green and clear, never amber or red."""
        return self.filter(tlp__in=[TLP.CLEAR, TLP.GREEN])


class TLPProtected(models.Model):
    """Fields every TLP-carrying object has: its level, its owner, its shares and named people."""

    tlp = models.CharField(max_length=5, choices=TLP.choices, default=TLP.AMBER)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", help_text="The owner"
    )
    shared_with = models.ManyToManyField(Organisation, blank=True, related_name="+")
    recipients = models.ManyToManyField(
        User, blank=True, related_name="+", help_text="The people a red object is for"
    )

    class Meta:
        abstract = True

    def is_visible_to(self, user: object) -> bool:
        manager: Any = type(self)._default_manager
        return bool(manager.visible_to(user).filter(pk=self.pk).exists())
