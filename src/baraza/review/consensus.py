"""The simple consensus rule: agreement among a case's current assessments, weighted by
organisation, so two organisations agreeing count more than two people of one organisation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from baraza.cases.models import Case
from baraza.review.models import Appeal, Assessment, BridgingRun, BridgingScore


@dataclass(frozen=True)
class SimpleConsensus:
    assessments: int
    organisations: int
    ready: bool  # enough assessments from enough organisations to decide
    verdicts: dict[str, float]  # verdict code → share of the organisations' weight
    leading: str | None
    agreement: float  # the leading verdict's share (1.0: every organisation agrees)


def current_assessments(case: Case, appeal: Appeal | None = None) -> list[Assessment]:
    """Each reviewer's latest word in one round (the first review, or an appeal panel's):
    superseded assessments are kept but do not count."""
    return list(
        Assessment.objects.current()
        .filter(case=case, appeal=appeal)
        .select_related("verdict", "organisation")
        .order_by("created_at", "id")
    )


def simple_consensus(case: Case, appeal: Appeal | None = None) -> SimpleConsensus:
    assessments = current_assessments(case, appeal)
    by_organisation: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in assessments:
        by_organisation[assessment.organisation_id].append(assessment)
    weights: dict[str, float] = defaultdict(float)
    for members in by_organisation.values():
        for assessment in members:  # one organisation's weight, split among its reviewers
            weights[assessment.verdict.code] += 1.0 / len(members)
    total = len(by_organisation)
    shares = {code: round(weight / total, 4) for code, weight in weights.items()} if total else {}
    leading = max(sorted(shares), key=lambda code: shares[code]) if shares else None
    return SimpleConsensus(
        assessments=len(assessments),
        organisations=total,
        ready=len(assessments) >= settings.REVIEW_ASSESSMENTS_REQUIRED
        and total >= settings.REVIEW_ORGANISATIONS_REQUIRED,
        verdicts=dict(sorted(shares.items(), key=lambda item: -item[1])),
        leading=leading,
        agreement=shares[leading] if leading else 0.0,
    )


def latest_bridging(case: Case) -> tuple[list[BridgingScore], datetime | None]:
    """The case's verdict scores from the latest bridging run, and when that run started."""
    run = BridgingRun.objects.order_by("-started_at", "-id").first()
    if run is None:
        return [], None
    scores = BridgingScore.objects.filter(run=run, case=case).select_related("verdict")
    return list(scores), run.started_at
