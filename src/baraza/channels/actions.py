"""Every state change of the tiplines: receiving, handling, replying, notifying, blocking.

The path of a message: a webhook (or the mailbox) calls `do_receive_messages`, which stores it
and nothing else; the worker calls `do_handle_message`, which makes it a report (or joins it to
the sender's report, answers it at once, or obeys a command) and writes the reply as an
`OutboundMessage`; the worker then calls `do_send_outbound`, and, at a lower priority,
`media_actions.do_keep_media`, which fetches the media people sent and keeps them encrypted.
Each step is one
transaction and is idempotent, and a sweep finds what a crash interrupted, so no message, reply
or picture is lost or repeated.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from baraza.accounts.models import Member
from baraza.accounts.permissions import require
from baraza.audit.actions import record
from baraza.cases.models import Case
from baraza.channels import conversation as say
from baraza.channels.answers import known_answer
from baraza.channels.conversation import Command, KnownAnswer, Parsed
from baraza.channels.events import ChannelEvent
from baraza.channels.incoming import MAX_MEDIA, IncomingMessage, Media
from baraza.channels.media_actions import kept, mark_media_due
from baraza.channels.models import (
    InboundMessage,
    InboundStatus,
    OutboundKind,
    OutboundMessage,
    OutboundStatus,
    Provider,
    Sender,
)
from baraza.channels.permissions import SenderAction
from baraza.channels.providers import (
    ChatProvider,
    Outgoing,
    SendFailed,
    get_provider,
)
from baraza.db import atomic_with_retry
from baraza.errors import Conflict
from baraza.intake import crypto, tracking
from baraza.intake.actions import do_submit_report
from baraza.intake.models import Category, Platform, Report
from baraza.intake.validation import ReportIn, clean_url
from baraza.ratelimits import parse_rate

log = logging.getLogger(__name__)

MAX_URLS = 20
# A NO reopens an automatic answer given this recently.
REOPEN_WINDOW = timedelta(hours=24)


# --- Receiving ------------------------------------------------------------------------------


def _keyed_hash(purpose: str, provider: str, value: str) -> str:
    return salted_hmac(
        f"baraza.channels.{purpose}", f"{provider}:{value}", algorithm="sha256"
    ).hexdigest()


def address_hash(provider: str, address: str) -> str:
    """A keyed hash: it finds a sender again without storing the address in clear, and cannot
    be reversed by hashing every phone number without the deployment's secret key."""
    return _keyed_hash("sender", provider, address)


def message_key(provider: str, message_id: str) -> str:
    """Providers' message ids can carry the sender's number (a WhatsApp wamid is its base64),
    so only a keyed hash of one is kept: enough to recognise a retried webhook."""
    return _keyed_hash("message", provider, message_id)


def _sender(provider: str, address: str) -> Sender:
    hashed = address_hash(provider, address)
    found = Sender.objects.filter(provider=provider, address_hash=hashed).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Sender.objects.create(
                provider=provider, address_hash=hashed, address_encrypted=crypto.encrypt(address)
            )
    except IntegrityError:  # the same sender's other message, stored at the same moment
        return Sender.objects.get(provider=provider, address_hash=hashed)


def _store(message: IncomingMessage) -> InboundMessage | None:
    key = message_key(message.provider, message.message_id)
    known = InboundMessage.objects.filter(provider=message.provider, provider_message_id=key)
    if known.exists():  # a retried webhook
        return None
    sender = _sender(message.provider, message.address)
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                sender=sender,
                provider=message.provider,
                provider_message_id=key,
                text=message.text[: settings.MAX_TEXT_CHARS],
                subject=message.extra.get("subject", "")[:200],
                urls=_web_addresses(message.urls)[:MAX_URLS],
                media=[_listed(media) for media in message.media[:MAX_MEDIA]],
                forwarded=message.forwarded,
                language_hint=message.language_hint[:16],
                sent_at=message.sent_at,
            )
    except IntegrityError:  # a retried webhook racing the first delivery
        return None


def _web_addresses(urls: Sequence[str]) -> list[str]:
    """The links a report can carry: a bare `example.org/x` (Telegram marks those as links,
    people write www.…) gets https://, and what intake would refuse as a URL is left in the
    text only, so a message never fails as a report for its link."""
    found = []
    for url in urls:
        address = url if "://" in url else f"https://{url}"
        try:
            found.append(clean_url(address))
        except ValueError:
            continue
    return list(dict.fromkeys(found))


def _listed(media: Media) -> dict[str, Any]:
    """A media entry as stored. An e-mail's attachment brings its bytes: kept now, as there is
    nothing to fetch later."""
    entry = media.as_dict()
    if media.content is not None:
        entry.update(kept(media.content))
    return entry


def _kept_count(messages: Sequence[InboundMessage]) -> int:
    return sum(entry.get("kept") is True for message in messages for entry in message.media)


def do_receive_messages(messages: Sequence[IncomingMessage]) -> int:
    """Store new messages and queue their handling; returns how many were new. A retried
    webhook (the same provider message ids) stores nothing and queues nothing."""
    if not messages:
        return 0
    with transaction.atomic():
        stored = [inbound for inbound in map(_store, messages) if inbound is not None]
        if stored:
            payload = {"provider": stored[0].provider, "messages": len(stored)}
            if kept := _kept_count(stored):  # e-mail attachments, kept on arrival
                payload["media_kept"] = kept
            record(ChannelEvent.MESSAGES_RECEIVED, stored[0].sender, None, payload)
            ids = [inbound.pk for inbound in stored]
            transaction.on_commit(partial(_queue_handling, ids), robust=True)
    return len(stored)


def _queue_handling(ids: list[int]) -> None:
    from baraza.channels.tasks import handle_messages

    handle_messages(ids)


def _queue_handling_later(message_id: int) -> None:
    from baraza.channels.tasks import handle_messages

    handle_messages.schedule(([message_id],), delay=settings.CHANNEL_GROUP_SECONDS + 1)


# --- Handling -------------------------------------------------------------------------------


def _over(rate: str, messages: QuerySet[InboundMessage], upto: InboundMessage) -> bool:
    """More than the rate's count in its period up to this message? The count stops at the
    limit, so a flood of 10,000 messages costs each message a bounded look, not a full count."""
    count, seconds = parse_rate(rate)
    since = upto.received_at - timedelta(seconds=seconds)
    recent = messages.filter(received_at__gt=since, pk__lte=upto.pk).order_by()
    return recent[: count + 1].count() > count


def _limited(message: InboundMessage, sender: Sender) -> bool:
    """Over the sender's or the channel's limit. The sender hears so once per period."""
    if _over(
        settings.CHANNEL_RATE, InboundMessage.objects.filter(provider=message.provider), message
    ):
        return True
    if not _over(settings.CHANNEL_SENDER_RATE, sender.inbound.all(), message):
        return False
    _count, seconds = parse_rate(settings.CHANNEL_SENDER_RATE)
    period = int(message.received_at.timestamp() // seconds)
    _reply(sender, OutboundKind.LIMITED, say.limited(), key=f"limited:{sender.pk}:{period}")
    return True


def _reply(
    sender: Sender,
    kind: str,
    text: str,
    *,
    key: str,
    report: Report | None = None,
) -> OutboundMessage | None:
    """Write a reply to send after commit; a key already used sends nothing (no reply twice)."""
    if OutboundMessage.objects.filter(dedupe_key=key).exists():
        return None
    outbound = OutboundMessage.objects.create(
        sender=sender,
        kind=kind,
        text=text,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        report=report,
        dedupe_key=key[:200],
    )
    transaction.on_commit(partial(_queue_sending, outbound.pk), robust=True)
    return outbound


def _queue_sending(outbound_id: int) -> None:
    from baraza.channels.tasks import send_outbound

    send_outbound(outbound_id)


def _pays_by_message(sender: Sender) -> bool:
    return sender.provider in (Provider.AFRICASTALKING, Provider.TWILIO)


def _waits_for_words(message: InboundMessage) -> bool:
    """A picture or voice note alone waits up to BARAZA_CHANNEL_GROUP_SECONDS for the words
    that usually follow it: a report placed in a case without them would never be matched by
    its claim. The sweep makes it a report of its own when none come."""
    alone = bool(message.media) and not message.text.strip() and not message.urls
    window = timedelta(seconds=settings.CHANNEL_GROUP_SECONDS)
    return alone and timezone.now() - message.received_at < window


def _waiting_media(message: InboundMessage, sender: Sender) -> list[InboundMessage]:
    since = message.received_at - timedelta(seconds=settings.CHANNEL_GROUP_SECONDS)
    waiting = sender.inbound.filter(
        status=InboundStatus.RECEIVED, received_at__gte=since, pk__lt=message.pk
    )
    return [item for item in waiting.order_by("pk") if item.media]


def _acknowledge(sender: Sender, report: Report) -> None:
    _reply(
        sender,
        OutboundKind.RECEIVED,
        say.received(report, brief=_pays_by_message(sender)),
        key=f"received:{report.pk}",
        report=report,
    )


def _open_report(message: InboundMessage, sender: Sender) -> Report | None:
    """The sender's report that this message continues: one made or joined by a message less
    than BARAZA_CHANNEL_GROUP_SECONDS earlier."""
    if not settings.CHANNEL_GROUP_SECONDS:
        return None
    since = message.received_at - timedelta(seconds=settings.CHANNEL_GROUP_SECONDS)
    previous = (
        sender.inbound.filter(
            status__in=[InboundStatus.REPORTED, InboundStatus.JOINED],
            report__isnull=False,
            received_at__gte=since,
            pk__lt=message.pk,
        )
        .select_related("report")
        .order_by("-received_at", "-pk")
        .first()
    )
    return previous.report if previous is not None else None


def _join(report: Report, message: InboundMessage) -> None:
    changed = []
    if message.text.strip() and message.text not in report.text:
        report.text = f"{report.text}\n\n{message.text}".strip()[: settings.MAX_TEXT_CHARS]
        changed.append("text")
    if not report.url and message.urls:
        report.url = message.urls[0]
        changed.append("url")
    if message.media:
        report.media_count += len(message.media)
        changed.append("media_count")
    if changed:
        report.save(update_fields=changed)
    message.report = report
    record(
        ChannelEvent.MESSAGE_JOINED,
        report,
        None,
        {"provider": message.provider, "media": len(message.media), "changed": changed},
    )


def _country(message: InboundMessage, address: str) -> str:
    if address.startswith("+"):
        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(address))
        except phonenumbers.NumberParseException:
            region = None
        if region and region != "ZZ":
            return str(region)
    return str(settings.CHANNEL_COUNTRY)


_PLATFORM_DOMAINS = {
    "facebook.com": Platform.FACEBOOK,
    "fb.watch": Platform.FACEBOOK,
    "instagram.com": Platform.INSTAGRAM,
    "threads.net": Platform.THREADS,
    "whatsapp.com": Platform.WHATSAPP,
    "wa.me": Platform.WHATSAPP,
    "x.com": Platform.X,
    "twitter.com": Platform.X,
    "tiktok.com": Platform.TIKTOK,
    "youtube.com": Platform.YOUTUBE,
    "youtu.be": Platform.YOUTUBE,
    "t.me": Platform.TELEGRAM,
    "telegram.me": Platform.TELEGRAM,
    "snapchat.com": Platform.SNAPCHAT,
    "linkedin.com": Platform.LINKEDIN,
    "reddit.com": Platform.REDDIT,
    "bsky.app": Platform.BLUESKY,
    "kwai.com": Platform.KWAI,
}


def _platform(message: InboundMessage) -> str:
    """Where the content was seen: the link's site when the message carries one; else the
    chat app it was forwarded in; else "other" (an SMS or an e-mail retelling something)."""
    for url in message.urls:
        host = (urlsplit(url).hostname or "").removeprefix("www.").removeprefix("m.")
        for domain, platform in _PLATFORM_DOMAINS.items():
            if host == domain or host.endswith("." + domain):
                return str(platform)
        return str(Platform.WEBSITE)
    return str(get_provider(message.provider).platform)


def _submit(message: InboundMessage, sender: Sender) -> Report:
    address = crypto.decrypt(sender.address_encrypted)
    data = ReportIn.model_validate(
        {
            "text": message.text.strip(),
            "url": message.urls[0] if message.urls else "",
            "platform": _platform(message),
            "country": _country(message, address),
            # The content's language, found by placement; the platform's hint is the language
            # of the person's app, which is what they read, not what they forwarded.
            "language": None,
            "category": Category.OTHER,
            "contact": f"{sender.get_provider_display()}: {address}"[: settings.MAX_CONTACT_CHARS],
        },
        context={"media": len(message.media)},
    )
    provider = get_provider(message.provider)
    report = do_submit_report(
        data, member=None, channel=provider.channel, media_count=len(message.media)
    )
    message.report = report
    return report


def _reopen(sender: Sender, message: InboundMessage) -> str:
    """NO after an automatic answer: the answered message becomes a normal report."""
    answered = (
        sender.inbound.filter(
            status=InboundStatus.ANSWERED,
            report__isnull=True,
            received_at__gte=message.received_at - REOPEN_WINDOW,
        )
        .order_by("-received_at", "-pk")
        .first()
    )
    if answered is None:
        _reply(sender, OutboundKind.HELP, say.nothing_to_reopen(), key=f"reply:{message.pk}")
        return InboundStatus.COMMAND
    report = _submit(answered, sender)
    answered.status = InboundStatus.REPORTED
    answered.save(update_fields=["status", "report"])
    record(ChannelEvent.ANSWER_REJECTED, report, None, {"answer": answered.answer})
    _acknowledge(sender, report)
    return InboundStatus.COMMAND


def _status_reply(argument: str) -> str:
    try:
        code = tracking.normalise(argument)
    except tracking.InvalidTrackingCode:
        return say.status_of(None)
    return say.status_of(Report.objects.filter(tracking_code=code).first())


def _obey(parsed: Parsed, message: InboundMessage, sender: Sender) -> str:
    key = f"reply:{message.pk}"
    if parsed.command == Command.STOP:
        sender.opted_out = True
        _reply(sender, OutboundKind.STOPPED, say.stopped(), key=key)
    elif parsed.command in (Command.START, Command.HELP):
        sender.opted_out = False
        _reply(sender, OutboundKind.HELP, say.help_text(), key=key)
    elif parsed.command == Command.STATUS:
        _reply(sender, OutboundKind.STATUS, _status_reply(parsed.argument), key=key)
    else:
        return _reopen(sender, message)
    record(ChannelEvent.COMMAND, sender, None, {"command": parsed.command.value})
    return InboundStatus.COMMAND


def _answer_at_once(message: InboundMessage, sender: Sender, answer: KnownAnswer) -> str:
    message.answer = answer.as_dict()
    _reply(sender, OutboundKind.ANSWER, say.answered(answer), key=f"answer:{message.pk}")
    record(ChannelEvent.ANSWERED_AT_ONCE, sender, None, answer.as_dict())
    return InboundStatus.ANSWERED


def _dispatch(message: InboundMessage, sender: Sender, answer: KnownAnswer | None) -> str:
    if sender.blocked:
        return InboundStatus.BLOCKED
    if _limited(message, sender):
        return InboundStatus.LIMITED
    parsed = say.parse_command(message.text) if not message.media else None
    if parsed is not None:
        return _obey(parsed, message, sender)
    report = _open_report(message, sender)
    if report is not None:
        _join(report, message)
        return InboundStatus.JOINED
    if not (message.text.strip() or message.urls or message.media):
        return InboundStatus.EMPTY
    if _waits_for_words(message):
        return InboundStatus.RECEIVED
    if answer is not None:
        return _answer_at_once(message, sender, answer)
    report = _submit(message, sender)
    for waiting in _waiting_media(message, sender):
        _join(report, waiting)
        waiting.status = InboundStatus.JOINED
        mark_media_due(waiting)
        waiting.save(update_fields=["status", "report", "media_due_at"])
    _acknowledge(sender, report)
    return InboundStatus.REPORTED


def _handle(message_id: int, answer: KnownAnswer | None) -> str | None:
    with transaction.atomic():
        message = (
            InboundMessage.objects.select_for_update()
            .filter(pk=message_id, status=InboundStatus.RECEIVED)
            .first()
        )
        if message is None:  # handled already (a retried task, the sweep)
            return None
        sender = Sender.objects.select_for_update().get(pk=message.sender_id)
        language = say.reply_language(message.language_hint, message.text, sender.language)
        with translation.override(language):
            status = _dispatch(message, sender, answer)
        if status == InboundStatus.RECEIVED:  # waiting for words: look again when the wait ends
            transaction.on_commit(partial(_queue_handling_later, message.pk), robust=True)
        message.status = status
        mark_media_due(message)
        message.save(update_fields=["status", "report", "answer", "media_due_at"])
        sender.language = language
        sender.last_inbound_at = max(filter(None, [sender.last_inbound_at, message.received_at]))
        sender.save(update_fields=["language", "last_inbound_at", "opted_out"])
        return status


def _worth_answering(message: InboundMessage) -> bool:
    """Whether to look for a known answer before the transaction (the encoder is slow and
    must not hold SQLite's write lock): a new message with words, not a command, not part of
    the sender's open report. _dispatch decides again inside the transaction."""
    if message.sender.blocked or not message.text.strip() or message.media:
        return False
    if say.parse_command(message.text) is not None:
        return False
    return _open_report(message, message.sender) is None


def do_handle_message(message_id: int) -> str | None:
    """Make one received message a report, a joined part of one, an answer or a command;
    returns its new status (None when it was handled before)."""
    message = (
        InboundMessage.objects.select_related("sender")
        .filter(pk=message_id, status=InboundStatus.RECEIVED)
        .first()
    )
    if message is None:
        return None
    answer = known_answer(message.text) if _worth_answering(message) else None
    return atomic_with_retry(partial(_handle, message_id, answer))


# --- Sending --------------------------------------------------------------------------------


def _subject(outbound: OutboundMessage) -> str:
    """What an e-mail reply answers: the report's own message, else the sender's latest."""
    about = (
        outbound.report.chat_messages.all() if outbound.report else outbound.sender.inbound.all()
    )
    first = about.exclude(subject="").order_by("received_at", "pk")
    return first.values_list("subject", flat=True).first() or ""


def _outgoing(outbound: OutboundMessage) -> Outgoing:
    sender = outbound.sender
    return Outgoing(
        address=crypto.decrypt(sender.address_encrypted),
        text=outbound.text,
        kind=outbound.kind,
        language=outbound.language,
        last_inbound_at=sender.last_inbound_at,
        report_code=outbound.report.display_code if outbound.report else "",
        subject=_subject(outbound) if sender.provider == Provider.EMAIL else "",
    )


def _backoff(attempts: int, retry_after: float | None) -> timedelta:
    return timedelta(seconds=max(retry_after or 0.0, float(2**attempts)))


def _send(provider: ChatProvider, message: Outgoing) -> str:
    try:
        return provider.send(message)
    except SendFailed:
        raise
    except Exception as error:  # an answer the provider's library could not read
        log.exception("unexpected failure sending through %s", provider.name)
        raise SendFailed(f"unexpected answer: {error!r}", retry=True) from error


def _lease() -> timedelta:
    """How long a claimed reply is left to its worker: longer than any send can take (Telegram
    and WhatsApp send a long text in parts), after which the sweep may try it again."""
    return timedelta(seconds=4 * settings.CHANNEL_SEND_TIMEOUT_SECONDS + 30)


def _claim(outbound_id: int) -> OutboundMessage | None:
    """Take a due reply for this worker: counted as an attempt and leased, in a short
    transaction, so the slow part (the provider's API) runs outside any transaction and never
    holds SQLite's write lock, and a second worker finds it not due."""
    with transaction.atomic():
        outbound = (
            OutboundMessage.objects.select_for_update(of=("self",))
            .select_related("sender", "report")
            .filter(
                pk=outbound_id,
                status=OutboundStatus.QUEUED,
                next_attempt_at__lte=timezone.now(),
            )
            .first()
        )
        if outbound is None:
            return None
        outbound.attempts += 1
        outbound.next_attempt_at = timezone.now() + _lease()
        outbound.save(update_fields=["attempts", "next_attempt_at"])
        return outbound


def _attempt(outbound: OutboundMessage, provider: ChatProvider) -> None:
    """Send, and set the outcome on the row (not saved)."""
    try:
        if not provider.configured():
            missing = ", ".join(provider.missing_settings())
            raise SendFailed(f"the channel is not configured: {missing}", retry=False)
        sent_as = _send(provider, _outgoing(outbound))
        outbound.provider_message_id = message_key(provider.name, sent_as)
        outbound.status = OutboundStatus.SENT
        outbound.sent_at = timezone.now()
        outbound.last_error = ""
    except SendFailed as failure:
        outbound.last_error = failure.reason
        if failure.retry and outbound.attempts < settings.CHANNEL_SEND_ATTEMPTS:
            outbound.next_attempt_at = timezone.now() + _backoff(
                outbound.attempts, failure.retry_after
            )
        else:
            outbound.status = OutboundStatus.FAILED


def do_send_outbound(outbound_id: int) -> OutboundMessage | None:
    """Send one due reply through its provider. A retryable failure puts it back in the queue
    with a later `next_attempt_at` (returned, so the task can schedule itself); after
    BARAZA_CHANNEL_SEND_ATTEMPTS, or on a final failure, it is marked failed with the reason.
    A worker that dies mid-send leaves the reply leased; the sweep sends it once the lease
    ends (at least once: the provider may have taken it just before the crash)."""
    outbound = _claim(outbound_id)
    if outbound is None:
        return None
    provider = get_provider(outbound.sender.provider)
    _attempt(outbound, provider)
    with transaction.atomic():
        outbound.save(
            update_fields=[
                "status",
                "next_attempt_at",
                "last_error",
                "provider_message_id",
                "sent_at",
            ]
        )
        payload = {"kind": outbound.kind, "attempts": outbound.attempts, "provider": provider.name}
        about = outbound.report or outbound.sender
        if outbound.status == OutboundStatus.SENT:
            record(ChannelEvent.REPLY_SENT, about, None, payload)
        elif outbound.status == OutboundStatus.FAILED:
            record(ChannelEvent.REPLY_FAILED, about, None, payload)
        else:
            record(ChannelEvent.REPLY_DEFERRED, about, None, payload)
    return outbound


# --- Notifying ------------------------------------------------------------------------------


def _decision_link(case_id: int, public: bool) -> str:
    return f"{settings.PUBLIC_URL}/decisions/{case_id}/" if public else say.status_url()


def do_notify_decided(case_id: int, decision_id: int, public: bool) -> int:
    """Tell everyone who reported the case by chat that it was decided, once per sender and
    decision, in the language we last answered them in; STOP and blocks are respected.
    Returns how many were told."""
    told = 0
    with transaction.atomic():
        messages = (
            InboundMessage.objects.filter(report__case_link__case_id=case_id)
            .select_related("sender", "report")
            .order_by("received_at", "pk")
        )
        seen: set[int] = set()
        for message in messages:
            sender, report = message.sender, message.report
            if sender.pk in seen or sender.opted_out or sender.blocked or report is None:
                continue
            seen.add(sender.pk)
            language = sender.language or settings.LANGUAGE_CODE
            with translation.override(language):
                text = say.decided(report, _decision_link(case_id, public))
                sent = _reply(
                    sender,
                    OutboundKind.DECISION,
                    text,
                    key=f"decision:{decision_id}:{sender.pk}",
                    report=report,
                )
            told += sent is not None
        if told:
            record(
                ChannelEvent.REPORTERS_TOLD,
                Case.objects.get(pk=case_id),
                None,
                {"case": case_id, "decision": decision_id, "senders": told},
            )
    return told


# --- The secretariat ------------------------------------------------------------------------


def do_set_sender_blocked(sender: Sender, *, blocked: bool, member: Member) -> Sender:
    """Block a sender (their messages are kept but make no report and get no reply) or lift
    the block. For the host organisation's secretariat and admins."""
    require(member, SenderAction.BLOCK, sender)
    with transaction.atomic():
        sender = Sender.objects.select_for_update().get(pk=sender.pk)
        if sender.blocked == blocked:
            raise Conflict(
                "the sender is already blocked" if blocked else "the sender is not blocked"
            )
        sender.blocked = blocked
        sender.save(update_fields=["blocked"])
        record(
            ChannelEvent.SENDER_BLOCKED if blocked else ChannelEvent.SENDER_UNBLOCKED,
            sender,
            member.user,
            {"provider": sender.provider},
        )
    return sender
