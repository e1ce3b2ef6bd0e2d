"""Background work of review: the bridging score, nightly and on demand."""

from __future__ import annotations

import time

import numpy as np
from django.conf import settings
from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from baraza.review.bridging import bridged, fit, ratings_from
from baraza.review.models import Assessment, BridgingRun, BridgingScore, Term


def run_bridging(seed: int = 0) -> BridgingRun:
    """Fit the bridging score over every reviewer's current verdict on every case, and replace
    the previous run's scores (derived state: recomputed, never edited, so not audited)."""
    started = time.perf_counter()
    triples = Assessment.objects.current().values_list("reviewer_id", "case_id", "verdict__code")
    every_verdict = Term.objects.filter(scheme="verdict").values_list("code", flat=True)
    ratings = ratings_from(triples.iterator(chunk_size=10_000), every_verdict)
    result = fit(ratings, seed=seed)
    flags = bridged(
        result, settings.REVIEW_BRIDGING_MIN_INTERCEPT, settings.REVIEW_BRIDGING_MAX_FACTOR
    )
    raters = np.bincount(ratings.items, minlength=len(ratings.item_keys))
    # Only verdicts someone chose are kept: the rest exist to be rated 0.
    chosen = np.bincount(ratings.items, weights=ratings.values, minlength=len(ratings.item_keys))
    verdicts = dict(Term.objects.filter(scheme="verdict").values_list("code", "pk"))
    with transaction.atomic():
        BridgingRun.objects.all().delete()
        run = BridgingRun.objects.create(
            seconds=round(time.perf_counter() - started, 3),
            reviewers=len(ratings.reviewer_keys),
            items=len(ratings.item_keys),
            ratings=len(ratings.values),
        )
        BridgingScore.objects.bulk_create(
            [
                BridgingScore(
                    run=run,
                    case_id=case_id,
                    verdict_id=verdicts[code],
                    intercept=round(float(result.item_intercepts[i]), 4),
                    factor=round(float(result.item_factors[i]), 4),
                    raters=int(raters[i]),
                    bridged=bool(flags[i]),
                )
                for i, (case_id, code) in enumerate(ratings.item_keys)
                if chosen[i] > 0
            ],
            batch_size=5000,
        )
    return run


@db_task()
def compute_bridging_scores() -> int:
    return run_bridging().pk


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_bridging_scores() -> int:
    return run_bridging().pk
