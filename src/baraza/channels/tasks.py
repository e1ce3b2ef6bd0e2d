"""Background work of the tiplines. Every task can run twice safely (handling, sending and
keeping media check the row's status under a lock), and the sweeps find what a crash or a lost
task left: messages received but not handled, replies due but not sent, media never fetched."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from baraza.channels.actions import do_handle_message, do_notify_decided, do_send_outbound
from baraza.channels.media_actions import do_keep_media
from baraza.channels.models import InboundMessage, InboundStatus, OutboundMessage, OutboundStatus

log = logging.getLogger(__name__)

# How long past the grouping window a message may wait for its task before the sweep handles it.
SWEEP_AFTER = timedelta(seconds=30)
# A person waits for a reply: sending goes before handling, handling before placing reports in
# cases (priority 0), so a burst of messages does not queue every reply behind the whole burst.
# SqliteHuey and PriorityRedisHuey order by priority, then age.
SEND_PRIORITY = 20
HANDLE_PRIORITY = 10
# Fetching media is for the media pipeline, later: after placement, so downloads never delay a
# reply or a report's case.
MEDIA_PRIORITY = -5
# How long a message's media may wait for their task before the sweep queues them again.
MEDIA_SWEEP_AFTER = timedelta(minutes=5)


def _handled(status: str | None) -> bool:
    """Handled now: not handled before, and not a picture still waiting for its words."""
    return status is not None and status != InboundStatus.RECEIVED


@db_task(retries=3, retry_delay=5, priority=HANDLE_PRIORITY)
def handle_messages(message_ids: list[int]) -> int:
    return sum(_handled(do_handle_message(pk)) for pk in message_ids)


@db_task(retries=2, retry_delay=5, priority=SEND_PRIORITY)
def send_outbound(outbound_id: int) -> None:
    outbound = do_send_outbound(outbound_id)
    if outbound is not None and outbound.status == OutboundStatus.QUEUED:
        send_outbound.schedule((outbound_id,), eta=outbound.next_attempt_at)


@db_task(priority=MEDIA_PRIORITY)
def keep_media(message_id: int) -> None:
    message = do_keep_media(message_id)
    if message is not None and message.media_due_at is not None:  # some to try again later
        keep_media.schedule((message_id,), eta=message.media_due_at)


@db_task(retries=3, retry_delay=5)
def notify_decided(case_id: int, decision_id: int, public: bool) -> int:
    return do_notify_decided(case_id, decision_id, public)


def handle_waiting(older_than: timedelta | None = None) -> int:
    """Handle the messages received longer ago than `older_than` and never handled. By default,
    past the grouping window too: a picture still waiting for its words has a task of its
    own, and handling it early would only queue another."""
    if older_than is None:
        older_than = timedelta(seconds=settings.CHANNEL_GROUP_SECONDS) + SWEEP_AFTER
    waiting = InboundMessage.objects.filter(
        status=InboundStatus.RECEIVED, received_at__lte=timezone.now() - older_than
    )
    ids = list(waiting.order_by("pk").values_list("pk", flat=True)[:1000])
    return sum(_handled(do_handle_message(pk)) for pk in ids)


def send_due() -> int:
    due = OutboundMessage.objects.filter(
        status=OutboundStatus.QUEUED, next_attempt_at__lte=timezone.now()
    )
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:500])
    return sum(
        (sent := do_send_outbound(pk)) is not None and sent.status == OutboundStatus.SENT
        for pk in ids
    )


def keep_lost_media(older_than: timedelta = MEDIA_SWEEP_AFTER) -> int:
    """Queue again the media due for longer than `older_than`: never attempted (their task was
    lost in a crash) or whose retry never ran. Queued, not fetched here, so a backlog of
    downloads never holds up the sweep's replies; a task that finds them taken does nothing."""
    lost = InboundMessage.objects.filter(media_due_at__lte=timezone.now() - older_than)
    ids = list(lost.order_by("media_due_at", "pk").values_list("pk", flat=True)[:200])
    for pk in ids:
        keep_media(pk)
    return len(ids)


@db_periodic_task(crontab(minute="*"))
def sweep_tiplines() -> None:
    """The safety net: messages whose task was lost, replies whose retry is due, media that
    were never fetched."""
    if handled := handle_waiting():
        log.warning("handled %d tipline messages whose task was lost", handled)
    send_due()
    if queued := keep_lost_media():
        log.warning("queued the media of %d tipline messages whose task was lost", queued)


@db_periodic_task(crontab(minute="*"))
def poll_email_intake() -> int:
    if not settings.EMAIL_INTAKE_IMAP_URL:
        return 0
    from baraza.channels.providers.email import poll_mailbox

    try:
        return poll_mailbox()
    except Exception:  # logged; the next poll, a minute later, tries again
        log.exception("could not read the e-mail intake mailbox")
        return 0


@db_task(priority=-10)
def warm_known_answers() -> int:
    """Embed the fact-check library while the queue is idle, so the first tipline message after
    a start (or an import) does not wait for it: two minutes for 2,000 claims, the first time
    (bench/tiplines.py); later starts read the embedding cache."""
    from baraza.matching.library import factcheck_matcher
    from baraza.matching.models import FactCheck

    if not FactCheck.objects.exists():
        return 0
    return len(factcheck_matcher().documents)


@HUEY.on_startup()
def finish_what_a_crash_left() -> None:
    handle_waiting(older_than=timedelta(0))
    send_due()
    warm_known_answers()
