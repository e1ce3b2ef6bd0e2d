"""A report accepted with 201 is never lost, even when its queued task is."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone
from huey.contrib.djhuey import HUEY

from baraza.cases.models import CaseReport
from baraza.cases.tasks import (
    place_pending_reports,
    place_reports,
    place_reports_left_by_a_crash,
)
from baraza.conftest import REPORT
from baraza.intake.models import Report


@contextmanager
def real_queue() -> Iterator[None]:
    """Use the configured queue (SQLite, or Redis when set) instead of running tasks inline."""
    HUEY.immediate = False
    HUEY.flush()
    try:
        yield
    finally:
        HUEY.flush()
        HUEY.immediate = True


def submit(client, placed):
    with placed():
        response = client.post("/api/reports", REPORT, content_type="application/json")
    assert response.status_code == 201


def test_placement_is_queued_for_the_worker(db, client, placed):
    with real_queue():
        submit(client, placed)
        assert HUEY.pending_count() == 1
        assert HUEY.pending()[0].name.endswith("place_reports")
    assert not CaseReport.objects.exists()


def test_reports_whose_task_was_lost_are_placed_when_the_worker_starts(db, client, placed):
    with real_queue():
        submit(client, placed)
        HUEY.flush()  # the worker crashed and its queue was lost
    assert not CaseReport.objects.exists()
    place_reports_left_by_a_crash()
    assert CaseReport.objects.count() == 1


def test_the_periodic_sweep_places_reports_left_behind(db, client, placed):
    with real_queue():
        submit(client, placed)
    Report.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert place_pending_reports.call_local() == 1
    assert CaseReport.objects.count() == 1


def test_the_sweep_leaves_fresh_reports_to_their_own_task(db, client, placed):
    with real_queue():
        submit(client, placed)
    assert place_pending_reports.call_local() == 0


def test_one_task_places_every_report_waiting_in_one_batch(db, client, placed):
    """A burst of submissions queues a task each; the first embeds and places them all, and
    the others find nothing left to do."""
    with real_queue():
        for _ in range(5):
            submit(client, placed)
        assert HUEY.pending_count() == 5
    first, *others = Report.objects.order_by("pk").values_list("pk", flat=True)
    assert place_reports.call_local([first]) == 5
    assert CaseReport.objects.count() == 5
    assert all(place_reports.call_local([other]) == 0 for other in others)
