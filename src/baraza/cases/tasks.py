"""Background work of cases. Every task can be re-run safely: placing a report is idempotent,
and reports a crashed worker never placed are found again by `place_pending_reports`."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from baraza.cases.actions import do_place_report
from baraza.intake.models import Report

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=5)
def place_reports(report_ids: list[int]) -> int:
    reports = Report.objects.filter(pk__in=report_ids, case_link__isnull=True).order_by("pk")
    placed = 0
    for report in reports.iterator():
        do_place_report(report)
        placed += 1
    return placed


def unplaced_reports(older_than: timedelta = timedelta(0)) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Report.objects.filter(case_link__isnull=True, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@db_periodic_task(crontab(minute="*"))
def place_pending_reports() -> int:
    """The safety net: reports whose placement task was lost (a crash, a full queue)."""
    pending = unplaced_reports(older_than=timedelta(seconds=30))
    if pending:
        log.warning("placing %d reports whose task was lost", len(pending))
        place_reports.call_local(pending)
    return len(pending)


@HUEY.on_startup()
def place_reports_left_by_a_crash() -> None:
    pending = unplaced_reports()
    if pending:
        place_reports(pending)
