"""Transparency report speed: `transparency_report` over a million reports, SQLite and PostgreSQL.

What it measures, per backend, on a fresh database loaded with generated data:

- the data (fixed seed): --reports reports (default 1,000,000) spread over 60 days, about one
  case per four reports (6 platforms, 8 countries, 12 languages tied to the countries plus
  blank, with a thin tail of rare country-language pairs, 8 categories); a decision on enough
  cases to carry --referrals referrals (default 100,000; 3% of the decisions replaced on
  appeal), each referral to one of 5 platform organisations, 1.5% never sent; ~70% of the sent
  referrals actioned (some acknowledged first, a few actioned twice), some declined, some
  answered "no answer", the rest never answered. Hours to action are log-normal with a median
  that depends on the language (and a little on the platform), so the disparity tables have
  something to show. Rows go in with ORM ``bulk_create`` in batches of 20,000, one transaction
  per batch; the load time is printed but is not the point.
- the report: ``transparency_report(period, public=True)`` for a period covering all the data,
  after one warm-up call, 3 times; the median is the figure. The election-scoped report (one
  election covering most Kenyan cases) is timed the same way.
- the baseline, in the same process: the cheapest grouped count of the same reports,
  ``CaseReport`` filtered on ``report__created_at`` in the period, grouped by the case's
  platform, country, language and category, ``Count("id")`` (warm-up, then median of 3). The
  ratio report / baseline is the figure to watch.
- where the report's time goes: one more call with every SQL statement timed from its start to
  the next statement's start (so a statement's share includes reading and handling its rows).
- the report's size (published cells, suppressed cells), the peak RSS of the process that
  timed it (``ru_maxrss``; the load runs in another process), and the database's size.

SQLite is the embedded default, in a fresh temporary folder, as the application leaves it (WAL;
no ANALYZE, as the application never runs one). PostgreSQL runs against a server at
127.0.0.1:5432 (user postgres, trust auth): a throwaway database ``baraza_bench_report`` is
created (dropped first if left over), migrated, loaded, VACUUM ANALYZEd (as autovacuum would
have done on a live server) and dropped at the end. With ``--backend both`` (the default) a
backend whose server cannot be reached is skipped with a note. Django sets up once per process,
so each backend's load and timing run in child processes of this script.

The script prints figures; it does not pass or fail. Run it with ``make bench`` or alone:

    uv run python bench/transparency_report.py [--reports 1000000] [--referrals 100000]
        [--backend sqlite|postgresql|both] [--show-sql] [--keep]
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sample_reports import PLACES, TEXTS, warn_if_busy  # noqa: E402

PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
PG_DATABASE = "baraza_bench_report"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
BATCH = 20_000
DAYS = 60
REPEAT = 3

# Weighted choices: (value, weight).
PLATFORMS = (
    ("facebook", 30),
    ("whatsapp", 20),
    ("x", 15),
    ("tiktok", 15),
    ("youtube", 10),
    ("telegram", 10),
)
# The platform organisations referrals go to (one owns two of the platforms).
RECIPIENTS = ("meta", "x-corp", "tiktok", "google", "telegram")
RECIPIENT_OF = {
    "facebook": "meta",
    "whatsapp": "meta",
    "x": "x-corp",
    "tiktok": "tiktok",
    "youtube": "google",
    "telegram": "telegram",
}
CATEGORIES = (
    ("disinformation", 30),
    ("hate_speech", 15),
    ("voter_suppression", 12),
    ("incitement", 10),
    ("election_integrity", 10),
    ("gendered_violence", 8),
    ("synthetic_media", 8),
    ("impersonation", 7),
)
COUNTRIES = (
    ("NG", 25),
    ("KE", 20),
    ("ET", 12),
    ("TZ", 10),
    ("GH", 10),
    ("SN", 8),
    ("CI", 8),
    ("SD", 7),
)
# Languages reported in each country ("" is a report whose language is unknown: "und"), with
# a thin tail of rarer pairs (Arabic in Nigeria, Hausa in Ghana, ...) whose small cells the
# public report must suppress.
LANGUAGES_IN: dict[str, tuple[tuple[str, float], ...]] = {
    "NG": (("en", 40), ("ha", 25), ("yo", 15), ("ig", 10), ("pcm", 10), ("ar", 0.3)),
    "KE": (("en", 50), ("sw", 45), ("", 5)),
    "ET": (("am", 60), ("om", 30), ("en", 10), ("ar", 0.4)),
    "TZ": (("sw", 80), ("en", 20), ("", 0.5)),
    "GH": (("en", 70), ("tw", 30), ("ha", 0.5), ("fr", 0.2)),
    "SN": (("fr", 60), ("wo", 40), ("en", 0.8)),
    "CI": (("fr", 90), ("en", 10)),
    "SD": (("ar", 85), ("en", 15)),
}
# Median hours from sending to action, and the chance of an action, by language; a platform
# factor on the hours. The spread is what the disparity tables are for.
MEDIAN_HOURS = {
    "en": 6.0,
    "fr": 9.0,
    "pcm": 12.0,
    "ar": 14.0,
    "sw": 16.0,
    "yo": 20.0,
    "ig": 22.0,
    "tw": 26.0,
    "": 24.0,
    "wo": 30.0,
    "ha": 36.0,
    "am": 40.0,
    "om": 60.0,
}
ACTION_CHANCE = {
    "en": 0.80,
    "fr": 0.76,
    "pcm": 0.72,
    "ar": 0.70,
    "sw": 0.70,
    "yo": 0.66,
    "ig": 0.66,
    "tw": 0.64,
    "": 0.62,
    "wo": 0.62,
    "ha": 0.60,
    "am": 0.58,
    "om": 0.55,
}
PLATFORM_FACTOR = {
    "facebook": 1.0,
    "whatsapp": 1.3,
    "x": 1.6,
    "tiktok": 0.9,
    "youtube": 1.1,
    "telegram": 2.5,
}
REASONS = ("url", "text", "similar")
CHANNELS = ("api", "api", "import", "web")
MONITORS = ("ukweli", "sauti", "gaskiya", "africacheck")


def picker(options: Iterable[tuple[str, float]]) -> Callable[[random.Random], str]:
    values, weights = zip(*options, strict=True)
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]

    def pick(rng: random.Random) -> str:
        return values[bisect.bisect_right(cumulative, rng.random() * total)]

    return pick


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def setup_django(backend: str, work: Path, migrate: bool) -> None:
    os.environ.pop("BARAZA_REDIS_URL", None)  # the queue is a SQLite file in `work`
    if backend == "postgresql":
        os.environ["BARAZA_DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("BARAZA_DATABASE_URL", None)  # the embedded default: SQLite
    os.environ.update(
        DJANGO_SETTINGS_MODULE="baraza.settings",
        BARAZA_ENV="development",
        BARAZA_DATA_DIR=str(work / "app"),
        BARAZA_HUEY_IMMEDIATE="false",
        BARAZA_LOG_LEVEL="WARNING",
        BARAZA_REPORT_CACHE_SECONDS="0",
        BARAZA_SQLITE_SYNCHRONOUS="normal",  # loading only; reading is the same either way
    )
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


# ---------------------------------------------------------------------------------------------
# Loading


@dataclass(slots=True)
class CaseRow:
    id: int
    platform: str
    country: str
    language: str
    category: str
    created: datetime
    size: int
    election: int | None
    tlp: str
    owner: int
    text: str


def plan_cases(rng: random.Random, reports: int, start: datetime, election: int) -> list[CaseRow]:
    """Cases with their sizes (1 + exponential, mean about 4) until `reports` are placed."""
    platform, category, country = picker(PLATFORMS), picker(CATEGORIES), picker(COUNTRIES)
    language_in = {code: picker(options) for code, options in LANGUAGES_IN.items()}
    tlp = picker((("amber", 70), ("green", 20), ("clear", 10)))
    cases: list[CaseRow] = []
    placed = 0
    while placed < reports:
        size = min(1 + int(rng.expovariate(1 / 3.4)), reports - placed)
        where = country(rng)
        language = language_in[where](rng)
        sentences = TEXTS.get(language) or TEXTS["en"]
        text = " ".join(
            rng.choice(sentences).format(place=rng.choice(PLACES)) for _ in range(rng.randint(1, 3))
        )
        cases.append(
            CaseRow(
                id=0,
                platform=platform(rng),
                country=where,
                language=language,
                category=category(rng),
                created=start + timedelta(seconds=rng.uniform(0, DAYS * 86400)),
                size=size,
                election=election if where == "KE" and rng.random() < 0.8 else None,
                tlp=tlp(rng),
                owner=rng.randrange(len(MONITORS)),
                text=text,
            )
        )
        placed += size
    cases.sort(key=lambda case: case.created)  # ids in order of creation, as in real use
    for serial, case in enumerate(cases, start=1):
        case.id = serial
    return cases


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def insert(label: str, objects: Iterable[Any]) -> float:
    """bulk_create in batches, one transaction each; returns the seconds it took."""
    from django.db import transaction

    started = time.perf_counter()
    count = 0
    for chunk in batched(objects, BATCH):
        with transaction.atomic():
            type(chunk[0]).objects.bulk_create(chunk, batch_size=BATCH)
        count += len(chunk)
    elapsed = time.perf_counter() - started
    print(f"  {label:<12}{count:>10,} rows in {elapsed:7.1f} s", flush=True)
    return elapsed


def insert_reports(rows: Iterable[tuple[Any, Any]]) -> float:
    """Reports and their case links, a batch of each per transaction."""
    from django.db import transaction

    from baraza.cases.models import CaseReport
    from baraza.intake.models import Report

    started = time.perf_counter()
    count = 0
    for chunk in batched(rows, BATCH):
        reports, links = zip(*chunk, strict=True)
        with transaction.atomic():
            Report.objects.bulk_create(reports, batch_size=BATCH)
            CaseReport.objects.bulk_create(links, batch_size=BATCH)
        count += len(chunk)
    elapsed = time.perf_counter() - started
    print(f"  {'reports':<12}{count:>10,} rows (and as many case links) in {elapsed:7.1f} s")
    return elapsed


def load(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from baraza.accountability.models import Referral, Response
    from baraza.accounts.models import Organisation
    from baraza.cases.models import Case, CaseReport
    from baraza.intake.models import Election, Report
    from baraza.intake.tracking import new_code
    from baraza.review.models import Decision

    rng = random.Random(args.seed)
    first_day = date.fromisoformat(args.first_day)
    start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    started = time.perf_counter()

    User = get_user_model()
    secretariat = User.objects.create(username="bench-secretariat", email="sec@bench.example")
    liaison = User.objects.create(username="bench-liaison", email="liaison@bench.example")
    owners = [
        Organisation.objects.create(slug=f"bench-{slug}", name=slug.title(), country="KE").pk
        for slug in MONITORS
    ]
    recipient_ids = {
        slug: Organisation.objects.create(
            slug=f"bench-{slug}", name=slug.title(), kind=Organisation.Kind.PLATFORM
        ).pk
        for slug in RECIPIENTS
    }
    election = Election.objects.create(
        slug="ke-bench", name="Kenya (bench)", country="KE", voting_day=first_day + timedelta(45)
    )
    cases = plan_cases(rng, args.reports, start, election.pk)
    case_count = len(cases)
    print(f"  planned {case_count:,} cases for {args.reports:,} reports", flush=True)

    # Decisions: enough decided cases to carry the referrals; referred ones first.
    decided_count = min(case_count, max(case_count // 2, args.referrals))
    if args.referrals > decided_count * len(RECIPIENTS):
        raise SystemExit(f"{args.referrals} referrals need more cases than {case_count}")
    decided = rng.sample(range(case_count), decided_count)
    referred = set(decided[: min(args.referrals, decided_count)])
    current: dict[int, Decision] = {}  # case index -> its current decision
    decisions: list[Decision] = []
    replaced = 0
    for index in decided:
        case = cases[index]
        at = case.created + timedelta(hours=rng.lognormvariate(math.log(20), 0.8))
        outcome = (
            "verdict"
            if index in referred
            else ("no_action" if rng.random() < 0.6 else "out_of_scope")
        )
        row = {
            "case_id": case.id,
            "outcome": outcome,
            "public_reasons": "Reviewed by the coalition against the election code.",
            "actions": ["refer_platform"] if outcome == "verdict" else [],
            "decided_by_id": secretariat.pk,
        }
        decision = Decision(created_at=at, **row)
        decisions.append(decision)
        if rng.random() < 0.03:  # appealed: this first decision is replaced by another
            decision.outcome, decision.actions = "no_action", []
            first, decision = decision, Decision(created_at=at + timedelta(days=2), **row)
            decision.created_at += timedelta(days=rng.uniform(0, 8))
            decision.replaces = first
            decisions.append(decision)
            replaced += 1
        current[index] = decision
    decisions.sort(key=lambda decision: decision.created_at)  # ids in order of time
    for serial, decision in enumerate(decisions, start=1):
        decision.id = serial
    for decision in decisions:
        if decision.replaces is not None:
            decision.replaces_id = decision.replaces.id

    # Referrals (the case's platform first; more recipients only if there are too few cases)
    # and the recipients' responses, all with ids in order of time.
    order = [i for i in decided if i in referred]
    targets: list[tuple[int, str]] = [(i, RECIPIENT_OF[cases[i].platform]) for i in order]
    extra = 1
    while len(targets) < args.referrals:
        for i in order[: args.referrals - len(targets)]:
            own = RECIPIENTS.index(RECIPIENT_OF[cases[i].platform])
            targets.append((i, RECIPIENTS[(own + extra) % len(RECIPIENTS)]))
        extra += 1
    planned = sorted(
        (current[index].created_at + timedelta(hours=rng.uniform(0.5, 6)), index, recipient)
        for index, recipient in targets
    )
    referrals: list[Referral] = []
    responses: list[Response] = []
    outcomes = {"actioned": 0, "declined": 0, "no_answer": 0, "none": 0, "unsent": 0}

    def respond(referral_id: int, kind: str, at: datetime, **fields: str) -> None:
        responses.append(
            Response(
                referral_id=referral_id,
                kind=kind,
                responded_at=at,
                recorded_by_id=liaison.pk,
                recorded_at=at + timedelta(minutes=rng.uniform(1, 120)),
                **fields,
            )
        )

    for serial, (created, index, recipient) in enumerate(planned, start=1):
        case = cases[index]
        sent = None if rng.random() < 0.015 else created + timedelta(minutes=rng.uniform(1, 90))
        referrals.append(
            Referral(
                id=serial,
                case_id=case.id,
                decision_id=current[index].id,
                recipient_id=recipient_ids[recipient],
                requested_action="remove",
                evidence=[f"https://example.org/{case.platform}/post/{case.id}"],
                created_by_id=secretariat.pk,
                created_at=created,
                sent_at=sent,
                due_at=sent + timedelta(hours=48) if sent else None,
            )
        )
        if sent is None:
            outcomes["unsent"] += 1
            continue
        median = MEDIAN_HOURS[case.language] * PLATFORM_FACTOR[case.platform]
        hours = rng.lognormvariate(math.log(median), 0.9)
        if rng.random() < ACTION_CHANCE[case.language]:
            outcomes["actioned"] += 1
            if rng.random() < 0.4:
                respond(serial, "acknowledged", sent + timedelta(hours=hours * 0.2))
            removed = {"decision_visibility": "DECISION_VISIBILITY_CONTENT_REMOVED"}
            respond(serial, "actioned", sent + timedelta(hours=hours), **removed)
            if rng.random() < 0.02:  # a second action later (the account, say)
                later = sent + timedelta(hours=hours * 1.5 + 1)
                suspended = {"decision_account": "DECISION_ACCOUNT_SUSPENDED"}
                respond(serial, "actioned", later, **removed, **suspended)
        else:
            rest = rng.random()
            if rest < 0.45:
                outcomes["declined"] += 1
                if rng.random() < 0.3:
                    respond(serial, "acknowledged", sent + timedelta(hours=hours * 0.2))
                reason = "Does not violate our community standards."
                respond(serial, "declined", sent + timedelta(hours=hours), reason=reason)
            elif rest < 0.65:
                outcomes["no_answer"] += 1
                respond(serial, "no_answer", sent + timedelta(hours=72))
            else:
                outcomes["none"] += 1
    responses.sort(key=lambda response: response.responded_at)
    for serial, response in enumerate(responses, start=1):
        response.id = serial

    def case_objects() -> Iterator[Case]:
        for c in cases:
            status = "decided" if c.id - 1 in current else rng.choice(("new", "triaged"))
            yield Case(
                id=c.id,
                tlp=c.tlp,
                organisation_id=owners[c.owner],
                status=status,
                category=c.category,
                platform=c.platform,
                country=c.country,
                language=c.language,
                election_id=c.election,
                created_at=c.created,
                updated_at=c.created,
                priority=rng.random(),
            )

    def report_rows() -> Iterator[tuple[Report, CaseReport]]:
        """Each case's reports over the hours after it opened; ids in order of arrival."""
        latest = start + timedelta(days=DAYS + 2)
        arrivals: list[tuple[datetime, int, int]] = []
        for index, c in enumerate(cases):
            at = c.created
            for j in range(c.size):
                if j:
                    at = min(at + timedelta(hours=rng.expovariate(1 / 6)), latest)
                arrivals.append((at, index, j))
        arrivals.sort()
        for serial, (at, index, j) in enumerate(arrivals, start=1):
            c = cases[index]
            report = Report(
                id=serial,
                tlp=c.tlp,
                organisation_id=owners[c.owner],
                tracking_code=new_code(),
                text=f"{c.text} (#{serial})",
                url=f"https://example.org/{c.platform}/post/{c.id}" if serial % 3 else "",
                platform=c.platform,
                country=c.country,
                language=c.language,
                category=c.category,
                election_id=c.election,
                channel=CHANNELS[serial % len(CHANNELS)],
                status="decided" if index in current else "new",
                created_at=at,
            )
            reason = "opened" if j == 0 else REASONS[serial % len(REASONS)]
            link = CaseReport(
                id=serial,
                case_id=c.id,
                report_id=serial,
                reason=reason,
                similarity=round(rng.uniform(0.85, 0.99), 3) if reason == "similar" else None,
                joined_at=at,
            )
            yield report, link

    load_s = insert("cases", case_objects())
    load_s += insert_reports(report_rows())
    load_s += insert("decisions", decisions)
    load_s += insert("referrals", referrals)
    load_s += insert("responses", responses)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tidy = time.perf_counter()
            cursor.execute("VACUUM ANALYZE")
            print(f"  VACUUM ANALYZE in {time.perf_counter() - tidy:.1f} s", flush=True)
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total_s = time.perf_counter() - started
    return {
        "cases": case_count,
        "decisions": len(decisions),
        "replaced": replaced,
        "referrals": len(referrals),
        "responses": len(responses),
        "outcomes": outcomes,
        "insert_s": load_s,
        "load_s": total_s,
        "load_rss_mb": rss_mb(),
    }


# ---------------------------------------------------------------------------------------------
# Timing


def median_seconds(fn: Callable[[], object], repeat: int = REPEAT) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def breakdown(fn: Callable[[], object]) -> list[tuple[float, str]]:
    """Seconds from each SQL statement's start to the next one's (or the end), with its SQL."""
    from django.db import connection

    starts: list[tuple[float, str]] = []

    def note(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        starts.append((time.perf_counter(), sql))
        return execute(sql, params, many, ctx)

    started = time.perf_counter()
    with connection.execute_wrapper(note):
        fn()
    ended = time.perf_counter()
    marks = [at for at, _ in starts] + [ended]
    rows = [(marks[0] - started, "-- python before the first statement")]
    rows += [(marks[i + 1] - at, sql) for i, (at, sql) in enumerate(starts)]
    return rows


def measure(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count

    from baraza.accountability.report import Period, transparency_report
    from baraza.cases.models import CaseReport
    from baraza.intake.models import Election

    first_day = date.fromisoformat(args.first_day)
    last_day = first_day + timedelta(days=DAYS + 5)
    period = Period.of(None, first_day, last_day)
    election = Election.objects.get(slug="ke-bench")
    election_period = Period.of(election, first_day, last_day)

    def baseline() -> list[dict[str, Any]]:
        return list(
            CaseReport.objects.filter(
                report__created_at__gte=period.start, report__created_at__lt=period.end
            )
            .values("case__platform", "case__country", "case__language", "case__category")
            .annotate(n=Count("id"))
        )

    body = transparency_report(period, public=True)
    report_s = median_seconds(lambda: transparency_report(period, public=True))
    baseline_s = median_seconds(baseline)
    election_s = median_seconds(lambda: transparency_report(election_period, public=True))
    election_body = transparency_report(election_period, public=True)
    parts = breakdown(lambda: transparency_report(period, public=True))
    assert sum(row["n"] for row in baseline()) == args.reports

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    else:
        size = sum(f.stat().st_size for f in (work / "app").glob("baraza.sqlite3*"))
    return {
        "report_s": report_s,
        "baseline_s": baseline_s,
        "election_s": election_s,
        "cells": len(body["rows"]),
        "suppressed": body["suppressed_cells"],
        "totals": body["totals"],
        "languages": body["disparity"]["language"],
        "election_cells": len(election_body["rows"]),
        "election_reports": election_body["totals"]["reports"],
        "parts": parts,
        "rss_mb": rss_mb(),
        "db_mb": size / 1e6,
    }


# ---------------------------------------------------------------------------------------------
# The parent: one fresh database per backend, a child process to load it and one to time.


def postgres_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER} dbname=postgres", autocommit=True) as conn:
        conn.execute(sql)


def child(args: argparse.Namespace, backend: str, phase: str, work: Path) -> dict[str, Any]:
    """Runs this script for one backend and phase; echoes its output, returns its RESULT."""
    command = [
        sys.executable,
        __file__,
        "--backend",
        backend,
        "--phase",
        phase,
        "--work",
        str(work),
        "--first-day",
        args.first_day,
        "--reports",
        str(args.reports),
        "--referrals",
        str(args.referrals),
        "--seed",
        str(args.seed),
    ]
    result: dict[str, Any] | None = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("RESULT "):
                result = json.loads(line.removeprefix("RESULT "))
            else:
                print(line, end="", flush=True)
    if process.returncode or result is None:
        raise SystemExit(f"{backend} {phase} failed (exit {process.returncode})")
    return result


def run_backend(args: argparse.Namespace, backend: str) -> dict[str, Any] | None:
    work = Path(tempfile.mkdtemp(prefix=f"baraza-bench-report-{backend}-"))
    try:
        if backend == "postgresql":
            try:
                postgres_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
                postgres_admin(f"CREATE DATABASE {PG_DATABASE}")
            except Exception as error:
                if args.backend == "both":
                    print(f"!! postgresql skipped: no server at 127.0.0.1:5432 ({error})")
                    return None
                raise
        print(f"\n== {backend}: loading {args.reports:,} reports, {args.referrals:,} referrals")
        loaded = child(args, backend, "load", work)
        print(f"== {backend}: timing the report", flush=True)
        timed = child(args, backend, "measure", work)
        return {**loaded, **timed}
    finally:
        if backend == "postgresql" and not args.keep:
            try:
                postgres_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
            except Exception as error:
                print(f"!! could not drop {PG_DATABASE}: {error}")
        if args.keep:
            print(f"kept {work}" + (f" and database {PG_DATABASE}" if backend != "sqlite" else ""))
        else:
            shutil.rmtree(work, ignore_errors=True)


def describe(sql: str) -> str:
    """A statement's outer table and shape: what a SELECT list of subqueries hides."""
    if sql.startswith("--"):
        return sql[3:]
    depth, outer = 0, []
    for char in sql:
        depth += (char == "(") - (char == ")")
        outer.append(char if depth == 0 and char != ")" else " ")
    top = " ".join("".join(outer).split())
    table = top.split(" FROM ", 1)[1].split()[0].strip('"') if " FROM " in top else "?"
    joins = top.count(" JOIN ")
    shape = "grouped" if " GROUP BY " in top else "row by row"
    return f"from {table} ({joins} joins, {shape}, {sql.count('SELECT') - 1} subqueries)"


def summary(backend: str, r: dict[str, Any], show_sql: bool) -> None:
    print(f"\n-- {backend} " + "-" * (74 - len(backend)))
    o = r["outcomes"]
    print(
        f"data: {r['cases']:,} cases, {r['decisions']:,} decisions ({r['replaced']:,} replaced "
        f"on appeal), {r['referrals']:,} referrals ({o['unsent']:,} unsent; actioned "
        f"{o['actioned']:,}, declined {o['declined']:,}, no answer {o['no_answer']:,}, none "
        f"{o['none']:,}), {r['responses']:,} responses; database {r['db_mb']:,.0f} MB"
    )
    t = r["totals"]
    print(
        f"report totals (published cells only): {t['reports']:,} reports, {t['cases']:,} cases,"
        f" {t['referrals']:,} referrals, action rate {t['action_rate']}, median hours to action"
        f" {t['median_hours_to_action']}, p90 {t['p90_hours_to_action']}"
    )
    languages = sorted(r["languages"], key=lambda row: row["time_ratio"] or 0)
    print(
        "language time ratios: "
        + ", ".join(f"{row['group']} {row['time_ratio']}" for row in languages)
    )
    print(
        f"election-scoped report (ke-bench, {r['election_reports']:,} reports, "
        f"{r['election_cells']} cells): {r['election_s']:.2f} s (median of {REPEAT})"
    )
    total = sum(seconds for seconds, _ in r["parts"]) or 1.0
    print("where one report's time goes (statement start to next start):")
    for seconds, sql in r["parts"]:
        full = show_sql and not sql.startswith("--")
        text = f"{describe(sql)}\n{sql}" if full else describe(sql)
        print(f"  {seconds:7.2f} s {seconds / total:5.0%}  {text}")
    print(
        f"{backend}: load {r['load_s']:.1f} s; report {r['report_s']:.2f} s (median of "
        f"{REPEAT}), baseline scan {r['baseline_s']:.2f} s, ratio "
        f"{r['report_s'] / r['baseline_s']:.1f}x; {r['cells']} cells, {r['suppressed']} "
        f"suppressed; peak RSS {r['rss_mb']:.0f} MB (loading: {r['load_rss_mb']:.0f} MB)"
    )


def code_version() -> str:
    """The commit, and whether report.py differs from it: the figures belong to that code."""
    report = HERE.parent / "src/baraza/accountability/report.py"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", str(report)]).returncode
    except (OSError, subprocess.CalledProcessError):
        return "commit unknown"
    return f"commit {commit}" + (" (report.py modified)" if changed else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument(
        "--backend", choices=("sqlite", "postgresql", "both"), default="both", help="database"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show-sql", action="store_true", help="full SQL in the breakdown")
    parser.add_argument("--keep", action="store_true", help="keep the data (folder, database)")
    # Internal: a child process's phase, folder and the data's first day.
    parser.add_argument("--phase", choices=("load", "measure"), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--first-day", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        setup_django(args.backend, args.work, migrate=args.phase == "load")
        result = (load if args.phase == "load" else measure)(args, args.work)
        print("RESULT " + json.dumps(result, default=str), flush=True)
        return

    args.first_day = (datetime.now(UTC).date() - timedelta(days=DAYS + 10)).isoformat()
    print(f"cpus={os.cpu_count()}  python={sys.version.split()[0]}  {code_version()}")
    warn_if_busy()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = {backend: run_backend(args, backend) for backend in backends}
    print("\n" + "=" * 78)
    print(
        f"Transparency report: {args.reports:,} reports, {args.referrals:,} referrals, "
        f"{DAYS} days, seed {args.seed}"
    )
    print("=" * 78)
    for backend, result in results.items():
        if result is not None:
            summary(backend, result, args.show_sql)


if __name__ == "__main__":
    main()
