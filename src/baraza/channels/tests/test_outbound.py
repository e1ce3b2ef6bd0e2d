"""Replies go through the worker: retried with backoff on 429, 5xx and timeouts, recorded as
sent or failed with the reason, never lost to a crash and never sent twice."""

from datetime import timedelta

from django.utils import timezone

from baraza.channels.models import InboundMessage, OutboundMessage, OutboundStatus
from baraza.channels.tasks import handle_waiting, send_due
from baraza.channels.tests.fake_telegram import TOKEN, message_update, post_update, send
from baraza.intake.models import Report

SEND = rf"/bot{TOKEN}/sendMessage$"
TEXT = "The returning officer in Eldoret was seen carrying ballot papers home"


def _make_due() -> None:
    OutboundMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_reply_refused_with_500_is_sent_on_a_later_try(fake_telegram, client, placed, people):
    fake_telegram.fail_next(SEND, 500, {"ok": False, "error_code": 500, "description": "oops"})
    send(client, placed, TEXT, 1301)
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == (OutboundStatus.QUEUED, 1)
    assert "oops" in outbound.last_error and outbound.next_attempt_at > timezone.now()
    _make_due()
    assert send_due() == 1
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("sent", 2, "")
    assert len(fake_telegram.texts_to(1301)) == 2  # the refused one, then the delivered one


def test_a_429_waits_as_long_as_telegram_asks(fake_telegram, client, placed, people):
    body = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 120",
        "parameters": {"retry_after": 120},
    }
    fake_telegram.fail_next(SEND, 429, body)
    before = timezone.now()
    send(client, placed, TEXT, 1302)
    outbound = OutboundMessage.objects.get()
    assert outbound.status == OutboundStatus.QUEUED
    assert outbound.next_attempt_at >= before + timedelta(seconds=119)


def test_a_timeout_is_tried_again(fake_telegram, client, placed, people, settings):
    settings.CHANNEL_SEND_TIMEOUT_SECONDS = 1
    fake_telegram.fail_next(SEND, 200, {"ok": True}, delay=2.5)
    send(client, placed, TEXT, 1303)
    outbound = OutboundMessage.objects.get()
    assert outbound.status == OutboundStatus.QUEUED and outbound.last_error


def test_a_blocked_bot_fails_at_once_with_the_reason(fake_telegram, client, placed, people):
    body = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
    fake_telegram.fail_next(SEND, 403, body)
    send(client, placed, TEXT, 1304)
    outbound = OutboundMessage.objects.get()
    assert outbound.status == OutboundStatus.FAILED and outbound.attempts == 1
    assert "blocked by the user" in outbound.last_error
    assert Report.objects.count() == 1  # the report stands


def test_it_gives_up_after_the_last_attempt(fake_telegram, client, placed, people, settings):
    settings.CHANNEL_SEND_ATTEMPTS = 2
    fake_telegram.fail_next(SEND, 502, b"Bad Gateway", times=2)
    send(client, placed, TEXT, 1305)
    _make_due()
    send_due()
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == (OutboundStatus.FAILED, 2)


def test_a_channel_without_settings_fails_its_replies_naming_what_is_missing(
    fake_telegram, client, placed, people, settings
):
    with placed():
        post_update(client, message_update(TEXT, chat_id=1306))
        settings.TELEGRAM_BOT_TOKEN = None
    outbound = OutboundMessage.objects.get()
    assert outbound.status == OutboundStatus.FAILED
    assert "TELEGRAM_BOT_TOKEN" in outbound.last_error


def test_a_message_whose_task_was_lost_is_handled_by_the_sweep(
    fake_telegram, client, placed, people
):
    post_update(client, message_update(TEXT, chat_id=1307))  # committed, no worker ran
    assert InboundMessage.objects.get().status == "received"
    with placed():
        assert handle_waiting(older_than=timedelta(0)) == 1
    assert Report.objects.count() == 1
    assert len(fake_telegram.texts_to(1307)) == 1
    with placed():
        assert handle_waiting(older_than=timedelta(0)) == 0  # and only once


def test_a_long_reply_is_sent_in_parts_telegram_accepts(fake_telegram, client, placed, people):
    from baraza.channels.providers import Outgoing
    from baraza.channels.providers.telegram import MAX_CHARS, Telegram

    text = ("Word " * 2000).strip()
    Telegram().send(
        Outgoing(address="1308", text=text, kind="help", language="en", last_inbound_at=None)
    )
    parts = fake_telegram.texts_to(1308)
    assert len(parts) == 3 and all(len(part) <= MAX_CHARS for part in parts)
    assert " ".join(parts) == text


def test_a_reply_another_worker_is_sending_is_not_sent_twice(fake_telegram, client, placed, people):
    from baraza.channels.actions import _claim, do_send_outbound

    post_update(client, message_update(TEXT, chat_id=1309))
    with placed():
        handle_waiting(older_than=timedelta(0))
    outbound = OutboundMessage.objects.get()
    OutboundMessage.objects.update(status=OutboundStatus.QUEUED, next_attempt_at=timezone.now())
    assert _claim(outbound.pk) is not None  # a worker takes it, and is sending
    assert do_send_outbound(outbound.pk) is None  # a second worker finds it not due
    assert send_due() == 0
