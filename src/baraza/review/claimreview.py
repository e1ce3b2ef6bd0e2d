"""A public decision as schema.org ClaimReview JSON-LD, the format fact-checkers and search
engines exchange (and that `matching.claimreview` reads back)."""

from __future__ import annotations

from typing import Any

from baraza.accounts.models import Organisation
from baraza.intake.models import Report
from baraza.review.models import Decision


def claimreview(decision: Decision, page_url: str) -> dict[str, Any]:
    case = decision.case
    reports = list(Report.objects.filter(case_link__case=case).order_by("created_at"))
    claim = next((report.text for report in reports if report.text), "")
    appearances = [{"@type": "CreativeWork", "url": r.url} for r in reports if r.url]
    owner = Organisation.objects.get(pk=case.organisation_id)
    rating = decision.verdict.label if decision.verdict else decision.get_outcome_display()
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "claimReviewed": claim,
        "datePublished": decision.created_at.date().isoformat(),
        "author": {"@type": "Organization", "name": owner.name},
        "reviewRating": {"@type": "Rating", "alternateName": str(rating)},
        "reviewBody": decision.public_reasons,
        "itemReviewed": {"@type": "Claim", "appearance": appearances},
    }
    if case.language:
        document["inLanguage"] = case.language
    return document
