"""A referral as a standard notice: the DSA Transparency Database's statement-of-reasons field
names where they apply, so platforms and regulators can read it without a mapping."""

from __future__ import annotations

from baraza.accountability.models import DecisionAccount, DecisionVisibility, Referral
from baraza.intake.models import Report

# The restriction each requested action asks for, in the DSA's values.
VISIBILITY = {
    "remove": DecisionVisibility.REMOVED,
    "disable": DecisionVisibility.DISABLED,
    "demote": DecisionVisibility.DEMOTED,
    "age_restrict": DecisionVisibility.AGE_RESTRICTED,
    "label": DecisionVisibility.LABELLED,
}
ACCOUNT = {
    "suspend_account": DecisionAccount.SUSPENDED,
    "terminate_account": DecisionAccount.TERMINATED,
}

NOTICE_VERSION = "1"


def notice(referral: Referral) -> dict[str, object]:
    decision = referral.decision
    case = referral.case
    reports = Report.objects.filter(case_link__case=case)
    first_seen = reports.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "schema": "baraza-referral-notice",
        "schema_version": NOTICE_VERSION,
        "referral_id": referral.pk,
        "recipient": referral.recipient.slug,
        "requested_action": referral.requested_action,
        "decision_visibility": [VISIBILITY[referral.requested_action]]
        if referral.requested_action in VISIBILITY
        else [],
        "decision_account": ACCOUNT.get(referral.requested_action),
        "category": decision.dsa_category.code if decision.dsa_category else None,
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_explanation": decision.public_reasons,
        "source_type": "SOURCE_TYPE_OTHER_NOTIFICATION",
        "territorial_scope": [case.country] if case.country else [],
        "content_language": case.language.upper() if case.language else None,
        "content_date": first_seen.date().isoformat() if first_seen else None,
        "urls": referral.content_urls(),
        "evidence": referral.evidence,
        "sent_at": referral.sent_at.isoformat() if referral.sent_at else None,
        "due_at": referral.due_at.isoformat() if referral.due_at else None,
    }
