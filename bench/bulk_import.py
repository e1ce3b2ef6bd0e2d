"""Bulk import throughput: rows/s of `do_import_reports` against raw SQLite inserts.

What it measures, on fresh SQLite files in a temporary folder (removed afterwards):

1. ``do_import_reports`` (validation, duplicate keys, ORM bulk_create, one audit event and one
   queued clustering task per batch) importing --rows generated reports (default 20,000; varied
   languages, platforms, countries, categories; a third with a URL, half with the monitor's own
   ``external_id``) into Baraza's database: SQLite in WAL mode, synchronous as --synchronous
   (default full, Baraza's default), committed per batch of BARAZA_IMPORT_BATCH_SIZE (500).
2. The baseline: the same rows inserted with the standard library's ``sqlite3`` ``executemany``
   into one table of similar columns (text, url, platform, country, language, category, a unique
   tracking code, created_at) in a fresh WAL file with the same synchronous mode, one transaction
   per batch of the same size. The ratio import rows/s / raw rows/s is the figure to watch
   (target >= 50%).

Clustering is only queued (BARAZA_HUEY_IMMEDIATE=false; no worker runs), so the figure is import
alone. Parsing the CSV (``read_rows``) is timed separately and excluded from both. Re-importing
the same rows (all duplicates) is also timed. The script prints figures; it does not pass or fail.

Run it with ``make bench``, which runs ``uv run python bench/intake_throughput.py`` and
``uv run python bench/bulk_import.py``, or alone:

    uv run python bench/bulk_import.py [--rows 20000] [--batch 500] [--profile]
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import csv
import io
import os
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sample_reports import make_reports, print_profile, warn_if_busy

COLUMNS = ("external_id", "text", "url", "platform", "country", "language", "category")
Row = tuple[int, dict[str, object] | str]


def make_csv(count: int, seed: int) -> bytes:
    """A monitor's CSV export: the generated reports, half of them with their own ids."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for serial, report in enumerate(make_reports(count, seed)):
        row = dict(report)
        if serial % 2 == 0:
            row["external_id"] = f"mon-{seed}-{serial:07d}"
        writer.writerow(row)
    return out.getvalue().encode()


def setup_django(data_dir: Path, batch: int, rows: int, synchronous: str) -> None:
    for name in ("BARAZA_DATABASE_URL", "BARAZA_REDIS_URL"):
        os.environ.pop(name, None)  # always the embedded default: SQLite and a SQLite queue
    os.environ.update(
        DJANGO_SETTINGS_MODULE="baraza.settings",
        BARAZA_ENV="development",
        BARAZA_DATA_DIR=str(data_dir),
        BARAZA_HUEY_IMMEDIATE="false",
        BARAZA_IMPORT_BATCH_SIZE=str(batch),
        BARAZA_MAX_IMPORT_ROWS=str(max(50_000, rows)),
        BARAZA_LOG_LEVEL="WARNING",
        BARAZA_SQLITE_SYNCHRONOUS=synchronous,
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def raw_baseline(path: Path, rows: Sequence[Row], batch: int, synchronous: str) -> float:
    """Seconds to insert `rows` with sqlite3 executemany, one transaction per batch."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous.upper()}")
    conn.execute(
        "CREATE TABLE report ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " tracking_code VARCHAR(12) NOT NULL UNIQUE,"
        " text TEXT NOT NULL, url VARCHAR(2000) NOT NULL,"
        " platform VARCHAR(32) NOT NULL, country VARCHAR(2) NOT NULL,"
        " language VARCHAR(16) NOT NULL, category VARCHAR(32) NOT NULL,"
        " created_at DATETIME NOT NULL)"
    )
    conn.execute("CREATE INDEX report_created_at ON report (created_at)")
    sql = (
        "INSERT INTO report (tracking_code, text, url, platform, country, language, category,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    started = time.perf_counter()
    for start in range(0, len(rows), batch):
        values = []
        for _, raw in rows[start : start + batch]:
            assert isinstance(raw, dict)
            values.append(
                (
                    base64.b32encode(secrets.token_bytes(10)).decode()[:12],
                    raw.get("text", ""),
                    raw.get("url", ""),
                    raw["platform"],
                    raw["country"],
                    raw.get("language", ""),
                    raw["category"],
                    datetime.now(UTC).isoformat(" "),
                )
            )
        conn.execute("BEGIN")
        conn.executemany(sql, values)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    stored = conn.execute("SELECT count(*) FROM report").fetchone()[0]
    conn.close()
    assert stored == len(rows), (stored, len(rows))
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows to import")
    parser.add_argument("--batch", type=int, default=500, help="rows per transaction")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="also cProfile one more import")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--synchronous", choices=("full", "normal"), default="full", help="SQLite durability"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="baraza-bench-import-"))
    try:
        run(args, work)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    print(f"cpus={os.cpu_count()}  python={sys.version.split()[0]}  folder={work}")
    warn_if_busy()
    started = time.perf_counter()
    content = make_csv(args.rows, args.seed)
    print(
        f"generated {args.rows} rows ({len(content) / 1e6:.1f} MB of CSV) in "
        f"{time.perf_counter() - started:.1f} s"
    )

    setup_django(work / "app", args.batch, args.rows, args.synchronous)
    from django.conf import settings
    from huey.contrib.djhuey import HUEY

    from baraza.accounts.actions import do_create_member
    from baraza.intake.actions import do_import_reports
    from baraza.intake.importing import read_rows
    from baraza.intake.models import Report

    if settings.HUEY_IMMEDIATE or args.batch != settings.IMPORT_BATCH_SIZE:
        raise SystemExit("the settings did not take BARAZA_HUEY_IMMEDIATE / IMPORT_BATCH_SIZE")
    member = do_create_member(
        org_slug="bench-org", role="monitor", email="bench@example.org"
    ).member

    started = time.perf_counter()
    rows = read_rows(content, "csv")
    parse_s = time.perf_counter() - started

    started = time.perf_counter()
    result = do_import_reports(rows, member=member, source="bench")
    import_s = time.perf_counter() - started
    if result.rejected:
        print(f"!! {len(result.rejected)} rows rejected, first: {result.rejected[:3]}")
    stored = Report.objects.filter(organisation=member.organisation).count()
    queued = HUEY.pending_count()

    started = time.perf_counter()
    again = do_import_reports(rows, member=member, source="bench-again")
    again_s = time.perf_counter() - started

    raw_s = raw_baseline(work / "raw.sqlite3", rows, args.batch, args.synchronous)

    import_rps = args.rows / import_s
    raw_rps = args.rows / raw_s
    width = 44
    print("\n" + "=" * 78)
    print(
        f"Bulk import summary: {args.rows} rows, batches of {args.batch}, SQLite WAL "
        f"synchronous={args.synchronous.upper()}"
    )
    print("=" * 78)
    print(f"{'step':<{width}}{'seconds':>12}{'rows/s':>14}")
    lines: list[tuple[str, float]] = [
        ("read_rows (CSV parse; excluded below)", parse_s),
        ("do_import_reports (fresh database)", import_s),
        ("raw sqlite3 executemany (baseline)", raw_s),
        ("do_import_reports again (all duplicates)", again_s),
    ]
    for label, seconds in lines:
        print(f"{label:<{width}}{seconds:>12.2f}{args.rows / seconds:>14,.0f}")
    print("-" * 78)
    print(f"do_import_reports rows/s / raw rows/s = {import_rps / raw_rps:.1%}   (target >= 50%)")
    print(
        f"created={result.created} duplicates={result.duplicates} "
        f"rejected={len(result.rejected)}; stored={stored}; re-import: created={again.created} "
        f"duplicates={again.duplicates}"
    )
    print(
        f"clustering is only queued (BARAZA_HUEY_IMMEDIATE=false, no worker): {queued} "
        "place_reports tasks pending; placing reports in cases is not measured here"
    )

    if args.profile:
        other = do_create_member(
            org_slug="bench-org-2", role="monitor", email="bench2@example.org"
        ).member  # another organisation, so nothing is a duplicate
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        do_import_reports(rows, member=other, source="bench-profile")
        profiler.disable()
        elapsed = time.perf_counter() - started
        print(
            f"\n== cProfile: do_import_reports of {args.rows} rows into a database already "
            f"holding {stored} ({args.rows / elapsed:,.0f} rows/s under the profiler) =="
        )
        print_profile(profiler)


if __name__ == "__main__":
    main()
