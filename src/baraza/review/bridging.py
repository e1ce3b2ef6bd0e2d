"""The bridging score: agreement that holds across viewpoints, as Community Notes measures it.

Every (case, verdict) pair is an *item*. A reviewer who assessed a case rates every verdict of
the taxonomy for it: 1 for the verdict they chose, 0 for each of the others (as a Community
Notes rater marks most notes "not helpful", which keeps the global mean low and lets a verdict
that reviewers agree on stand out in its intercept). We fit

    rating ≈ μ + reviewer_intercept + item_intercept + reviewer_factor * item_factor

with one-dimensional factors, by regularised least squares (Community Notes' λ: 0.15 on the
intercepts, 0.03 on the factors). The factor soaks up whatever divides reviewers consistently
(a faction); the item intercept is the support left once that is explained. A verdict is
*bridged* when its intercept clears BARAZA_REVIEW_BRIDGING_MIN_INTERCEPT_PERCENT and its |factor|
stays under BARAZA_REVIEW_BRIDGING_MAX_FACTOR_PERCENT: a bloc voting together earns a large
factor and a small intercept, however many of them there are; reviewers who usually disagree
agreeing earns a large intercept.

The fit is alternating exact updates (each reviewer's and each item's intercept and factor solve
a 2x2 ridge system given the others), vectorised with numpy: linear in the number of ratings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

INTERCEPT_PENALTY = 0.15
FACTOR_PENALTY = 0.03


@dataclass(frozen=True)
class Ratings:
    reviewers: np.ndarray  # int index per rating
    items: np.ndarray  # int index per rating
    values: np.ndarray  # 1.0 or 0.0
    reviewer_keys: list[int]
    item_keys: list[tuple[int, str]]  # (case id, verdict code)


@dataclass(frozen=True)
class Fit:
    mean: float
    reviewer_intercepts: np.ndarray
    reviewer_factors: np.ndarray
    item_intercepts: np.ndarray
    item_factors: np.ndarray


def ratings_from(
    assessments: Iterable[tuple[int, int, str]], verdicts: Iterable[str] = ()
) -> Ratings:
    """(reviewer, case, verdict) triples — each reviewer's current verdict on a case — as
    ratings of every verdict (those given, and those chosen by anyone) on that case."""
    chosen: dict[int, dict[int, str]] = defaultdict(dict)
    universe = set(verdicts)
    for reviewer, case, verdict in assessments:
        chosen[case][reviewer] = verdict
        universe.add(verdict)
    every_verdict = sorted(universe)
    reviewer_index: dict[int, int] = {}
    item_index: dict[tuple[int, str], int] = {}
    rows: list[tuple[int, int, float]] = []
    for case in sorted(chosen):
        by_reviewer = chosen[case]
        for reviewer in sorted(by_reviewer):
            r = reviewer_index.setdefault(reviewer, len(reviewer_index))
            for verdict in every_verdict:
                i = item_index.setdefault((case, verdict), len(item_index))
                rows.append((r, i, 1.0 if by_reviewer[reviewer] == verdict else 0.0))
    data = np.array(rows, dtype=np.float64).reshape(-1, 3)
    return Ratings(
        reviewers=data[:, 0].astype(np.int64),
        items=data[:, 1].astype(np.int64),
        values=data[:, 2],
        reviewer_keys=list(reviewer_index),
        item_keys=list(item_index),
    )


def _solve(
    owners: np.ndarray,
    count: int,
    other_factor: np.ndarray,
    target: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per owner, the ridge solution of target ≈ intercept + factor * other_factor."""

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(owners, weights=weights, minlength=count)

    n = total(np.ones_like(target)) + INTERCEPT_PENALTY
    sum_g = total(other_factor)
    sum_gg = total(other_factor * other_factor) + FACTOR_PENALTY
    sum_y = total(target)
    sum_gy = total(other_factor * target)
    determinant = n * sum_gg - sum_g * sum_g
    intercept = (sum_gg * sum_y - sum_g * sum_gy) / determinant
    factor = (n * sum_gy - sum_g * sum_y) / determinant
    return intercept, factor


def fit(ratings: Ratings, *, iterations: int = 80, seed: int = 0) -> Fit:
    reviewers, items, values = ratings.reviewers, ratings.items, ratings.values
    n_reviewers, n_items = len(ratings.reviewer_keys), len(ratings.item_keys)
    rng = np.random.default_rng(seed)
    reviewer_b = np.zeros(n_reviewers)
    reviewer_f = rng.normal(0.0, 0.1, n_reviewers)
    item_c = np.zeros(n_items)
    item_g = np.zeros(n_items)
    mean = float(values.mean()) if len(values) else 0.0
    for _ in range(iterations):
        item_c, item_g = _solve(
            items, n_items, reviewer_f[reviewers], values - mean - reviewer_b[reviewers]
        )
        reviewer_b, reviewer_f = _solve(
            reviewers, n_reviewers, item_g[items], values - mean - item_c[items]
        )
        residual = values - reviewer_b[reviewers] - item_c[items]
        residual -= reviewer_f[reviewers] * item_g[items]
        mean = float(residual.mean()) if len(residual) else 0.0
    # One sign convention (the factor's sign is arbitrary), so reruns read the same.
    if n_items and item_g[np.argmax(np.abs(item_g))] < 0:
        item_g, reviewer_f = -item_g, -reviewer_f
    return Fit(mean, reviewer_b, reviewer_f, item_c, item_g)


def bridged(fit: Fit, min_intercept: float, max_factor: float) -> np.ndarray:
    return (fit.item_intercepts >= min_intercept) & (np.abs(fit.item_factors) < max_factor)
