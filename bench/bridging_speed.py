"""Bridging score at coalition scale: 10,000 reviewers x 100,000 assessments.

Synthetic history: two factions; 25,000 cases of four assessments each; on a third of the cases
the factions split (each side's verdict), on the rest reviewers agree. Prints the time and peak
memory (tracemalloc: Python and numpy allocations) of

- building the ratings from (reviewer, case, verdict) triples (the baseline: reading the data
  once), and
- fitting the model (80 alternating updates),

with the fit's time as a multiple of the baseline, and how many verdicts came out bridged.

Run: `uv run python bench/bridging_speed.py [--reviewers 10000] [--assessments 100000]`.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from baraza.review.bridging import bridged, fit, ratings_from

VERDICTS = ["false", "misleading", "missing_context", "true", "unverifiable", "satire"]


def history(reviewers: int, assessments: int, seed: int = 7) -> list[tuple[int, int, str]]:
    rng = np.random.default_rng(seed)
    faction = rng.integers(0, 2, reviewers)
    per_case = 4
    rows = []
    for case in range(assessments // per_case):
        panel = rng.choice(reviewers, per_case, replace=False)
        split = case % 3 == 0
        for reviewer in panel.tolist():
            verdict = ("false", "true")[faction[reviewer]] if split else "false"
            rows.append((reviewer, case, verdict))
    return rows


def measure(label: str, work):  # type: ignore[no-untyped-def]
    tracemalloc.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34}{seconds:>8.2f} s{peak / 2**20:>10.1f} MiB peak")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviewers", type=int, default=10_000)
    parser.add_argument("--assessments", type=int, default=100_000)
    args = parser.parse_args()
    rows = history(args.reviewers, args.assessments)
    print(f"{args.reviewers:,} reviewers, {len(rows):,} assessments")
    ratings, build_s = measure("build ratings (baseline)", lambda: ratings_from(rows, VERDICTS))
    print(f"  {len(ratings.values):,} ratings of {len(ratings.item_keys):,} verdict items")
    result, fit_s = measure("fit (80 alternating updates)", lambda: fit(ratings))
    flags = bridged(result, 0.40, 0.50)
    print(f"fit / baseline = {fit_s / build_s:.1f}x; {int(flags.sum()):,} items bridged")


if __name__ == "__main__":
    main()
