"""Keeping the media people send (pictures, videos, voice notes, documents): fetched from the
provider after their message is handled, at the lowest queue priority, and kept encrypted at
rest (channels/media_store.py) until the media pipeline takes them over."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from baraza.audit.actions import record
from baraza.channels import media_store
from baraza.channels.events import ChannelEvent
from baraza.channels.incoming import MAX_MEDIA
from baraza.channels.models import InboundMessage, InboundStatus, MediaWhy
from baraza.channels.providers import ChatProvider, FetchFailed, TooLarge, get_provider
from baraza.media.actions import do_attach_media
from baraza.media.upload import BytesUpload

log = logging.getLogger(__name__)

# A media file the provider cannot give for now (a timeout, 429, 5xx) is tried again 1, 4, 16
# and 64 minutes later (or when the provider asks, if later), then recorded as not kept.
MEDIA_ATTEMPTS = 5
MEDIA_BACKOFF = timedelta(minutes=1)
# A blocked sender's media and a flood's are never fetched; a picture waiting for its words is
# fetched once it is handled.
_MEDIA_NOT_FETCHED = (InboundStatus.RECEIVED, InboundStatus.BLOCKED, InboundStatus.LIMITED)


def _undecided(entry: dict[str, Any]) -> bool:
    return "kept" not in entry


def mark_media_due(message: InboundMessage) -> None:
    """A handled message's media are due for fetching: by a low-priority task after commit, or
    by the sweep if that task is lost. Sets `media_due_at`, not saved."""
    if message.status in _MEDIA_NOT_FETCHED or not any(map(_undecided, message.media)):
        return
    message.media_due_at = timezone.now()
    transaction.on_commit(partial(_queue_keeping, message.pk), robust=True)


def _queue_keeping(message_id: int) -> None:
    from baraza.channels.tasks import keep_media

    keep_media(message_id)


@dataclass(frozen=True)
class _Outcome:
    """One attempt at one media entry: what to set on the entry, which decides it; or the
    reason to try again later."""

    fields: dict[str, Any] | None = None
    retry: str = ""
    retry_after: float | None = None


def why_not(why: MediaWhy, detail: str) -> dict[str, Any]:
    """An entry's fields when it is not kept: why, in a word pages translate, and the detail
    (the provider's own words) for whoever looks into it."""
    return {"kept": False, "why": why.value, "detail": detail[:200]}


def kept(data: bytes) -> dict[str, Any]:
    """Keep a media file's bytes (encrypted, `media_store`): the entry's fields either way."""
    if len(data) > settings.CHANNEL_MEDIA_MAX_BYTES:
        return why_not(MediaWhy.TOO_LARGE, f"{len(data)} bytes")
    return {"kept": True, "sha256": media_store.keep(data), "size": len(data)}


def _not_kept(why: MediaWhy, detail: str) -> _Outcome:
    return _Outcome(why_not(why, detail))


def _over_the_limit(entry: dict[str, Any]) -> bool:
    """Too large by the provider's own word (Telegram's and e-mail's sizes): not even asked."""
    size = entry.get("size")
    return isinstance(size, int) and size > settings.CHANNEL_MEDIA_MAX_BYTES


def _fetch_and_keep(provider: ChatProvider, entry: dict[str, Any]) -> _Outcome:
    if _over_the_limit(entry):
        return _not_kept(MediaWhy.TOO_LARGE, f"{entry['size']} bytes")
    if not provider.fetches_media or not provider.configured():
        return _not_kept(MediaWhy.UNAVAILABLE, f"{provider.name} cannot fetch media now")
    try:
        return _Outcome(kept(provider.fetch_media(entry)))
    except TooLarge as failure:
        return _not_kept(MediaWhy.TOO_LARGE, failure.reason)
    except FetchFailed as failure:
        if not failure.retry:
            return _not_kept(MediaWhy.REFUSED, failure.reason)
        return _Outcome(retry=failure.reason, retry_after=failure.retry_after)
    except Exception as error:  # a full disk, or an answer the provider's library could not read
        log.exception("unexpected failure keeping a media file from %s", provider.name)
        return _Outcome(retry=f"unexpected failure: {error!r}")


def _media_lease() -> timedelta:
    """How long a claimed message's media are left to their worker (every entry's requests at
    their timeout, and more), after which the sweep may fetch them again."""
    return timedelta(seconds=MAX_MEDIA * 3 * settings.CHANNEL_SEND_TIMEOUT_SECONDS + 60)


def _claim_media(message_id: int) -> InboundMessage | None:
    """Take a message whose media are due, counted as an attempt and leased, in a short
    transaction: the downloads run outside any transaction, and a second worker finds it not
    due."""
    with transaction.atomic():
        message = (
            InboundMessage.objects.select_for_update()
            .filter(pk=message_id, media_due_at__lte=timezone.now())
            .first()
        )
        if message is None:
            return None
        message.media_attempts += 1
        message.media_due_at = timezone.now() + _media_lease()
        message.save(update_fields=["media_attempts", "media_due_at"])
        return message


def _attempt_media(message: InboundMessage) -> dict[int, _Outcome]:
    """Fetch and keep every entry not yet decided, at most MAX_MEDIA of them."""
    provider = get_provider(message.provider)
    outcomes = {}
    for index, entry in enumerate(message.media):
        if not _undecided(entry):
            continue
        if index >= MAX_MEDIA:
            outcomes[index] = _not_kept(MediaWhy.TOO_MANY, f"more than {MAX_MEDIA}")
        else:
            outcomes[index] = _fetch_and_keep(provider, entry)
    return outcomes


def _media_backoff(attempts: int, retry_after: float) -> timedelta:
    return max(MEDIA_BACKOFF * 4 ** (attempts - 1), timedelta(seconds=retry_after))


def _decided(media: list[dict[str, Any]], outcomes: dict[int, _Outcome]) -> list[dict[str, Any]]:
    """The entries with this attempt's outcomes written on them; an entry another worker
    decided meanwhile keeps its outcome."""
    entries = [dict(entry) for entry in media]
    for index, outcome in outcomes.items():
        if index < len(entries) and _undecided(entries[index]) and outcome.fields is not None:
            entries[index].update(outcome.fields)
    return entries


def _give_up(media: list[dict[str, Any]], outcomes: dict[int, _Outcome]) -> None:
    """After the last attempt, what is still undecided is recorded as not kept."""
    for index, entry in enumerate(media):
        if _undecided(entry):
            reason = outcomes.get(index, _Outcome()).retry or "no answer"
            entry.update(why_not(MediaWhy.UNREACHABLE, reason))


def _settle(message: InboundMessage, outcomes: dict[int, _Outcome]) -> dict[str, int]:
    """Write the outcomes on the message's entries and when to try the rest (not saved);
    returns the counts for the audit event."""
    media = _decided(message.media, outcomes)
    if message.media_attempts >= MEDIA_ATTEMPTS:
        _give_up(media, outcomes)
    waiting = [outcomes.get(n, _Outcome()) for n, entry in enumerate(media) if _undecided(entry)]
    message.media = media
    message.media_due_at = None
    if waiting:
        after = max(outcome.retry_after or 0.0 for outcome in waiting)
        message.media_due_at = timezone.now() + _media_backoff(message.media_attempts, after)
    return {
        "kept": sum(entry.get("kept") is True for entry in media),
        "not_kept": sum(entry.get("kept") is False for entry in media),
        "waiting": len(waiting),
    }


def do_keep_media(message_id: int) -> InboundMessage | None:
    """Fetch the media of a handled message from its provider and keep them encrypted
    (`media_store`), writing on each entry `kept`, `sha256` and `size`, or `kept: false` and
    `why`. A timeout, 429 or 5xx leaves the entry to a later attempt (`media_due_at`, returned
    so the task can schedule itself), up to MEDIA_ATTEMPTS. None when nothing was due."""
    claimed = _claim_media(message_id)
    if claimed is None:
        return None
    outcomes = _attempt_media(claimed)
    with transaction.atomic():
        message = (
            InboundMessage.objects.select_for_update(of=("self",))
            .select_related("sender", "report")
            .get(pk=message_id)
        )
        counts = _settle(message, outcomes)
        message.save(update_fields=["media", "media_due_at"])
        payload = {"provider": message.provider, "attempts": message.media_attempts, **counts}
        record(ChannelEvent.MEDIA_KEPT, message.report or message.sender, None, payload)
    try:
        hand_over(message)
    except Exception:  # a locked database, a full disk: the message stays due, tried again
        log.exception("handing a message's media over to the media pipeline failed")
        if message.media_attempts < 2 * MEDIA_ATTEMPTS:
            message.media_due_at = timezone.now() + MEDIA_BACKOFF
            InboundMessage.objects.filter(pk=message.pk).update(media_due_at=message.media_due_at)
    return message


def _waiting_for_handover(entry: dict[str, Any]) -> bool:
    return entry.get("kept") is True and "medium" not in entry and "refused" not in entry


def hand_over(message: InboundMessage) -> None:
    """The kept media of a message with a report become the report's media (media app): checked
    like an upload, hashed, matched. Each entry then names its medium, or why it was refused (a
    document is not a picture). Safe to repeat: entries handed over are not handed again."""
    if message.report_id is None:
        return
    waiting = [n for n, entry in enumerate(message.media) if _waiting_for_handover(entry)]
    if not waiting:
        return
    uploads = [
        BytesUpload(
            f"{message.media[n].get('kind') or 'file'} {n + 1}",
            media_store.read(message.media[n]["sha256"]),
        )
        for n in waiting
    ]
    handover = do_attach_media(message.report, uploads)  # type: ignore[arg-type]
    with transaction.atomic():
        fresh = InboundMessage.objects.select_for_update().get(pk=message.pk)
        entries = [dict(entry) for entry in fresh.media]
        for position, index in enumerate(waiting):
            if position in handover.medium_ids:
                entries[index]["medium"] = handover.medium_ids[position]
            elif position in handover.refused:
                entries[index]["refused"] = handover.refused[position][:200]
        fresh.media = entries
        fresh.save(update_fields=["media"])
    message.media = entries
