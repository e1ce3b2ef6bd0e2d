"""Background work of media. Every task can be re-run safely: processing skips media no longer
pending, and media a crashed worker left pending are found again by the sweep."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from baraza.media.actions import do_fail_stuck_medium, do_process_medium
from baraza.media.models import Medium, MediumStatus

log = logging.getLogger(__name__)

# A medium still pending this long after it came is queued again; after this many attempts
# (each killed or crashed) it is given up, and its report is placed by its words.
SWEEP_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3


@db_task(retries=1, retry_delay=30)
def process_media(medium_ids: list[int]) -> int:
    """Queued when files are accepted with a report (or a fact-check)."""
    return sum(do_process_medium(pk) is not None for pk in medium_ids)


@db_periodic_task(crontab(minute="*/5"))
def process_forgotten_media() -> int:
    """Media whose task was lost (never claimed for SWEEP_AFTER) or whose worker died (its
    lease ran out) are queued again, or given up after MAX_ATTEMPTS."""
    now = timezone.now()
    lost = Q(lease_until__isnull=True, created_at__lte=now - SWEEP_AFTER)
    stuck = list(
        Medium.objects.filter(lost | Q(lease_until__lt=now), status=MediumStatus.PENDING)[:500]
    )
    again = [medium.pk for medium in stuck if medium.attempts < MAX_ATTEMPTS]
    for medium in stuck:
        if medium.attempts >= MAX_ATTEMPTS:
            do_fail_stuck_medium(medium)
    if again:
        log.warning("processing %d media whose task or worker was lost", len(again))
        process_media(again)
    return len(stuck)
