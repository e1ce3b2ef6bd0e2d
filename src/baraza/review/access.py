"""Who may read a case's assessments: independence means nobody sees the others' judgements
before giving their own. The owner's secretariat and admins, who decide, see them all."""

from __future__ import annotations

from baraza.accounts.models import Member, Role
from baraza.cases.models import Case
from baraza.intake import tracking
from baraza.intake.models import Report
from baraza.review.models import Assessment

DECIDING_ROLES = {Role.SECRETARIAT, Role.ADMIN}


def may_decide(case: Case, member: Member) -> bool:
    return member.role in DECIDING_ROLES and member.organisation_id == case.organisation_id


def may_read_assessments(case: Case, member: Member) -> bool:
    if may_decide(case, member):
        return True
    return Assessment.objects.filter(case=case, reviewer_id=member.user_id).exists()


def reviewer_named(case: Case, by: Member, email: str) -> Member | None:
    """The member `by` asks to review `case`: `by` itself when no email is given. Only the
    deciding secretariat may name someone, and that is checked before the look-up, so nobody
    can probe for addresses. None when no active member has the email."""
    email = email.strip().lower()
    if not email:
        return by
    if not may_decide(case, by):
        raise PermissionError("only the case owner's secretariat assigns reviewers")
    return Member.objects.filter(user__email=email, user__is_active=True).first()


def reporters_report(case_id: int, code: str) -> Report | None:
    """The report of `case_id` a reporter's tracking code names (raises InvalidTrackingCode).
    A code of another case is None like an unknown code, so the answer reveals nothing."""
    return Report.objects.filter(
        tracking_code=tracking.normalise(code), case_link__case_id=case_id
    ).first()
