"""Background work of cases. Every task can be re-run safely: placing a report is idempotent,
and reports a crashed worker never placed are found again by the sweep and at worker start."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from baraza.cases.actions import (
    do_offer_media_links,
    do_place_report,
    embed_reports,
    refresh_priorities,
)
from baraza.cases.media_links import waiting_for_media
from baraza.cases.models import Case, CaseStatus
from baraza.cases.similarity import reembed, report_index, stale_reports
from baraza.intake.models import Report

log = logging.getLogger(__name__)

# Reports placed per transaction. One commit for many placements keeps the worker's share of
# SQLite's single write lock small when reports arrive in bursts; short enough that a web
# request waiting for the lock is not held up for long.
CHUNK = 50


def _waiting(older_than: timedelta = timedelta(0)) -> list[int]:
    cutoff = timezone.now() - older_than
    waiting = Report.objects.filter(case_link__isnull=True, created_at__lte=cutoff)
    return list(waiting.order_by("pk").values_list("pk", flat=True))


def _with_others_waiting(chunk: list[int]) -> list[int]:
    """The chunk, filled up with other reports still waiting (oldest first): a burst of
    submissions queues one task each, and embedding them one at a time costs the encoder its
    batching. Their own tasks then find them placed and return."""
    room = CHUNK - len(chunk)
    if room <= 0:
        return chunk
    others = (
        Report.objects.filter(case_link__isnull=True)
        .exclude(pk__in=chunk)
        .order_by("pk")
        .values_list("pk", flat=True)[:room]
    )
    return chunk + list(others)


def place(report_ids: list[int]) -> int:
    """Place the reports not placed yet, oldest first, a chunk per transaction (and other
    waiting reports with them, see _with_others_waiting)."""
    placed = 0
    for start in range(0, len(report_ids), CHUNK):
        chunk = _with_others_waiting(report_ids[start : start + CHUNK])
        # A report whose media are still being processed is placed when they are.
        later = waiting_for_media(chunk)
        waiting = list(
            Report.objects.filter(pk__in=chunk, case_link__isnull=True)
            .exclude(pk__in=later)
            .order_by("pk")
        )
        vectors = embed_reports(waiting)
        with transaction.atomic():
            for report in waiting:
                do_place_report(report, vectors.get(report.pk))
                placed += 1
    return placed


@db_task(retries=3, retry_delay=5)
def place_reports(report_ids: list[int]) -> int:
    """Queued after reports are accepted (one task for a submission, one per import batch)."""
    return place(report_ids)


@db_task(retries=2, retry_delay=5)
def offer_media_links(report_ids: list[int]) -> int:
    """After late media were processed: their matches offered to the placed reports' cases."""
    placed = Report.objects.filter(pk__in=report_ids, case_link__isnull=False, media_count__gt=0)
    return sum(len(do_offer_media_links(report)) for report in placed)


@db_periodic_task(crontab(minute="*"))
def place_pending_reports() -> int:
    """The safety net: reports whose placement task was lost (a crash, a flushed queue)."""
    placed = place(_waiting(older_than=timedelta(seconds=30)))
    if placed:
        log.warning("placed %d reports whose task was lost", placed)
    return placed


@HUEY.on_startup()
def place_reports_left_by_a_crash() -> None:
    if waiting := _waiting():
        place_reports(waiting)


@db_periodic_task(crontab(minute="7", hour="*"))
def refresh_open_case_priorities() -> int:
    """Hourly: as voting day nears, open cases move up the queue."""
    return refresh_priorities(Case.objects.exclude(status=CaseStatus.CLOSED))


@HUEY.on_startup()
def reembed_after_a_model_change() -> None:
    """After BARAZA_ENCODER changed, reports of the old model are embedded again, in the
    background; until then they are simply not found by meaning (never compared across models)."""
    if stale := list(stale_reports().values_list("pk", flat=True)[:100_000]):
        reembed_reports(stale)


@db_task()
def reembed_reports(report_ids: list[int]) -> int:
    return reembed(report_ids)


@db_periodic_task(crontab(minute="*/10"))
def save_report_index() -> None:
    """Every ten minutes, the worker's replica is written to the data dir, so a restart loads
    it and catches up instead of rebuilding from every vector."""
    if report_index.cache_info().currsize:
        report_index().save()
