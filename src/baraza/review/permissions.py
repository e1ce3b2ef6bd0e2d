"""Who may act in review (see accounts/permissions.py). Independence: nobody reads the others'
assessments before giving their own; the owner's secretariat and admins, who decide, read all."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
from baraza.review.models import Assessment, Assignment


class ReviewAction(StrEnum):
    TAKE = "take"  # a reviewer assigns themself
    ASSIGN = "assign"  # the secretariat assigns someone
    ASSESS = "assess"
    READ_ASSESSMENTS = "read_assessments"
    DECIDE = "decide"  # a decision, and an appeal's decision


@action_rule(Case, ReviewAction.TAKE, refusal=_("Only reviewers take cases to assess."))
def _take(member: Member) -> Q:
    return Q() if can(member, Capability.REVIEW) else NOTHING


coordinated_by_owner(
    Case, ReviewAction.ASSIGN, refusal=_("Only the case owner's secretariat assigns reviewers.")
)


@action_rule(Case, ReviewAction.ASSESS, refusal=_("You are not assigned to this case."))
def _assess(member: Member) -> Q:
    return Q(pk__in=Assignment.objects.filter(reviewer_id=member.user_id).values("case_id"))


@action_rule(
    Case,
    ReviewAction.READ_ASSESSMENTS,
    refusal=_("Assessments stay hidden until you have submitted your own (independence)."),
)
def _read_assessments(member: Member) -> Q:
    own = Assessment.objects.filter(reviewer_id=member.user_id).values("case_id")
    return coordinators_of(member) | Q(pk__in=own)


coordinated_by_owner(
    Case, ReviewAction.DECIDE, refusal=_("Only the case owner's secretariat decides it.")
)
