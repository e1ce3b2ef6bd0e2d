"""Look-ups of review that carry an access rule: whom a member names as reviewer, which report a
reporter's tracking code opens, and the decision one may read. Who may act is in
review/permissions.py."""

from __future__ import annotations

from baraza.accounts.models import Member
from baraza.accounts.permissions import require
from baraza.cases.models import Case
from baraza.cases.queries import visible_case
from baraza.errors import InvalidField, NotFound
from baraza.intake import tracking
from baraza.intake.models import Report
from baraza.review.models import Decision
from baraza.review.permissions import ReviewAction


def reviewer_named(case: Case, by: Member, email: str) -> Member:
    """The member `by` asks to review `case`: `by` itself when no email is given. Only the
    deciding secretariat may name someone, and that is checked before the look-up, so nobody
    can probe for addresses."""
    email = email.strip().lower()
    if not email:
        return by
    require(by, ReviewAction.ASSIGN, case)
    reviewer = Member.objects.filter(user__email=email, user__is_active=True).first()
    if reviewer is None:
        raise InvalidField("reviewer", f"no member has the email {email}")
    return reviewer


def reporters_report(case_id: int, code: str) -> Report:
    """The report of `case_id` a reporter's tracking code names (raises InvalidTrackingCode).
    A code of another case is NotFound like an unknown code, so the answer reveals nothing."""
    report = (
        Report.objects.filter(tracking_code=tracking.normalise(code), case_link__case_id=case_id)
        .select_related("case_link__case")
        .first()
    )
    if report is None:
        raise NotFound("no decided case with this tracking code")
    return report


def visible_decision(user: object, case_id: int) -> tuple[Case, Decision]:
    """A case the user may see (anonymous: clear cases only) and its decision in force."""
    case = visible_case(user, case_id)
    decision = Decision.objects.current_for(case)
    if decision is None:
        raise NotFound("this case has no decision yet")
    return case, decision
