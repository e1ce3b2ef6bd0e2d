"""The processing of a medium by workers that may crash, overlap or be slow: each medium is
processed by one worker at a time, a dead worker's medium is taken up again, and a slow worker's
result is never thrown away."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from baraza.media import actions
from baraza.media.actions import GIVEN_UP, do_process_medium
from baraza.media.models import Medium, MediumStatus
from baraza.media.tasks import MAX_ATTEMPTS, process_forgotten_media
from baraza.media.tests import files

pytestmark = pytest.mark.django_db

PAYLOAD = {"text": "", "platform": "x", "country": "KE", "category": "other"}


@pytest.fixture
def pending(client: Client, tmp_path: Path) -> Medium:
    """A medium accepted while no worker ran (its task lost: tests run in one transaction that
    never commits, so nothing queued after commit runs unless a test says so)."""
    photo = files.make_jpeg(tmp_path / "p.jpg", (320, 240))
    with photo.open("rb") as handle:
        response = client.post("/api/reports", {"payload": json.dumps(PAYLOAD), "media": [handle]})
    assert response.status_code == 201
    medium = Medium.objects.get()
    assert medium.status == MediumStatus.PENDING
    return medium


def test_a_medium_leased_to_a_live_worker_is_not_processed_by_another(pending: Medium) -> None:
    Medium.objects.filter(pk=pending.pk).update(lease_until=timezone.now() + timedelta(minutes=5))
    assert do_process_medium(pending.pk) is None
    assert Medium.objects.get().status == MediumStatus.PENDING


def test_a_dead_workers_medium_is_taken_up_once_its_lease_has_run_out(
    pending: Medium, placed: Callable[[], AbstractContextManager[Any]]
) -> None:
    Medium.objects.filter(pk=pending.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1), attempts=1
    )
    assert do_process_medium(pending.pk) is not None
    medium = Medium.objects.get()
    assert (medium.status, medium.attempts, medium.lease_until) == (MediumStatus.READY, 2, None)


def test_the_sweep_leaves_a_leased_medium_alone(pending: Medium) -> None:
    Medium.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(hours=1),
        lease_until=timezone.now() + timedelta(minutes=5),
        attempts=MAX_ATTEMPTS,
    )
    assert process_forgotten_media.call_local() == 0
    assert Medium.objects.get().status == MediumStatus.PENDING


def test_the_sweep_gives_up_a_medium_after_the_last_attempt_so_its_report_is_placed(
    pending: Medium,
) -> None:
    Medium.objects.filter(pk=pending.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1), attempts=MAX_ATTEMPTS
    )
    assert process_forgotten_media.call_local() == 1
    medium = Medium.objects.get()
    assert medium.status == MediumStatus.FAILED and medium.failure.startswith(GIVEN_UP)


def test_a_slow_worker_that_finishes_after_the_sweep_gave_up_still_wins(
    pending: Medium, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run = actions._run

    def slow_run(medium: Medium) -> None:
        # The sweep runs while this worker is still at work, its lease taken for expired.
        Medium.objects.filter(pk=medium.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1), attempts=MAX_ATTEMPTS
        )
        process_forgotten_media.call_local()
        assert Medium.objects.get(pk=medium.pk).status == MediumStatus.FAILED
        real_run(medium)

    monkeypatch.setattr(actions, "_run", slow_run)
    do_process_medium(pending.pk)
    medium = Medium.objects.get()
    assert medium.status == MediumStatus.READY and len(medium.pdq) == 64
