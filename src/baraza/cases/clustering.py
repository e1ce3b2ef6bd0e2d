"""The clustering decision for a report that shares no link or text with any case.

Meedan Check's rule, with thresholds measured for our encoder (bench/clustering_thresholds.py):
the nearest eligible case at or above the auto-link threshold takes the report; between suggest
and auto-link, or for a short text at any similarity, the report opens its own case and a
reviewer is offered the link; below suggest, the report simply opens a case. When a report
joins a case by meaning, the other cases near it are offered as links of that case (a reviewer
who once said "different claims" is not asked again).

Eligible means: in the report's audience (a case never mixes audiences, see `cases.keys`), not
TLP:RED (red reports never group), not merged away, and active within the time window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.utils import timezone

from baraza.cases.keys import audience_scope
from baraza.cases.models import Case, CaseReport
from baraza.cases.similarity import report_index, words
from baraza.tlp import TLP

MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Candidate:
    case: Case
    similarity: float


@dataclass
class Decision:
    join: Candidate | None = None
    suggest: list[Candidate] = field(default_factory=list)


def case_scope(case: Case) -> str | None:
    """The audience a case belongs to, or None for red cases (they take no one else's report)."""
    if case.tlp == TLP.RED:
        return None
    return audience_scope(case.tlp, case.organisation_id, 0)


def eligible(case: Case, scope: str) -> bool:
    """May this case take a report of `scope` by likeness (of words or of media)?"""
    if case.merged_into_id is not None or case_scope(case) != scope:
        return False
    window = settings.CLUSTER_WINDOW_DAYS
    return not window or case.updated_at >= timezone.now() - timedelta(days=window)


def _candidates(text: str, vectors: np.ndarray, scope: str) -> list[Candidate]:
    neighbours = report_index().nearest(text, vectors)
    best: dict[int, float] = {}
    for neighbour in neighbours:
        if neighbour.similarity >= settings.CLUSTER_SUGGEST:
            best.setdefault(neighbour.report_id, neighbour.similarity)
    links = CaseReport.objects.filter(report_id__in=best).select_related("case")
    by_case: dict[int, Candidate] = {}
    for link in links:
        case = link.case
        if not eligible(case, scope):
            continue
        similarity = best[link.report_id]
        if case.pk not in by_case or by_case[case.pk].similarity < similarity:
            by_case[case.pk] = Candidate(case, similarity)
    return sorted(by_case.values(), key=lambda c: (-c.similarity, c.case.pk))


def decide(text: str, vectors: np.ndarray | None, scope: str) -> Decision:
    """`vectors`: the report's query vectors (similarity.ReportIndex.embed_many)."""
    if vectors is None or scope.startswith("red:"):
        return Decision()
    candidates = _candidates(text, vectors, scope)
    if not candidates:
        return Decision()
    best = candidates[0]
    long_enough = words(text) >= settings.CLUSTER_SHORT_TEXT_WORDS
    if best.similarity >= settings.CLUSTER_AUTO_LINK and long_enough:
        # The case that takes the report may now be near others: offer those links too.
        return Decision(join=best, suggest=candidates[1 : 1 + MAX_SUGGESTIONS])
    return Decision(suggest=candidates[:MAX_SUGGESTIONS])
