"""Who may read a case's assessments: independence means nobody sees the others' judgements
before giving their own. The owner's secretariat and admins, who decide, see them all."""

from __future__ import annotations

from baraza.accounts.models import Member, Role
from baraza.cases.models import Case
from baraza.review.models import Assessment

DECIDING_ROLES = {Role.SECRETARIAT, Role.ADMIN}


def may_decide(case: Case, member: Member) -> bool:
    return member.role in DECIDING_ROLES and member.organisation_id == case.organisation_id


def may_read_assessments(case: Case, member: Member) -> bool:
    if may_decide(case, member):
        return True
    return Assessment.objects.filter(case=case, reviewer_id=member.user_id).exists()
