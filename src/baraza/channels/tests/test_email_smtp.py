"""E-mail over SMTP, both ways. In: a real `smtplib` session with `baraza smtp-intake`'s server
on loopback (RFC 5321, https://www.rfc-editor.org/rfc/rfc5321): what it stores, what it
accepts without storing (auto-replies, bounces), what it refuses (552 too big, 554 not an
e-mail). Out: the replies Django's mail backend sends, in `mail.outbox` (locmem) and through a
mail relay on loopback that accepts or refuses them as scripted."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from baraza.channels.actions import message_key
from baraza.channels.providers import Outgoing, SendFailed
from baraza.channels.providers.email import Email, intake_controller
from baraza.channels.tests.dovecot import HOST, free_port
from baraza.channels.tests.journeys import messages_of
from baraza.channels.tests.test_email_parsing import PLAIN, RUMOUR, mail

TIPLINE = "tips@baraza.example"
# In tests the worker runs inside the SMTP transaction (HUEY immediate): the first report a
# test process makes loads the matching models, which takes a while on a busy machine.
SMTP_TIMEOUT = 90
REPORTER = "jdoe@machine.example"


@contextmanager
def running_intake() -> Iterator[int]:
    """`baraza smtp-intake`'s server, with the current settings, on a free port."""
    port = free_port()
    controller = intake_controller(HOST, port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def deliver(port: int, raw: bytes, sender: str = REPORTER) -> tuple[int, bytes]:
    """One SMTP transaction, as a relay makes it; the server's answer to the DATA."""
    with smtplib.SMTP(HOST, port, timeout=SMTP_TIMEOUT) as session:
        session.ehlo("relay.example.org")
        assert session.mail(sender)[0] == 250
        assert session.rcpt(TIPLINE)[0] == 250
        return session.data(raw)


# --- Intake ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_relay_delivers_a_message_that_is_stored() -> None:
    with running_intake() as port:
        assert deliver(port, PLAIN) == (250, b"Message accepted")
    [stored] = messages_of("email")
    assert stored.provider_message_id == message_key("email", "<1234@local.machine.example>")
    assert stored.text.startswith(f"Polling stations closing early?\n\n{RUMOUR}")
    assert stored.urls == ["https://rumours.example/kisumu-2pm"]


@pytest.mark.django_db(transaction=True)
def test_a_message_the_relay_delivers_twice_is_stored_once() -> None:
    with running_intake() as port:
        deliver(port, PLAIN)
        assert deliver(port, PLAIN) == (250, b"Message accepted")
    assert len(messages_of("email")) == 1


@pytest.mark.django_db(transaction=True)
def test_an_auto_reply_is_accepted_so_the_relay_does_not_retry_but_is_not_stored() -> None:
    out_of_office = mail("""
From: Wanjiru <wanjiru@example.org>
To: tips@baraza.example
Subject: Automatic reply: Your report
Message-ID: <ooo-1@example.org>
Auto-Submitted: auto-replied

I am away until Monday.
""")
    with running_intake() as port:
        assert deliver(port, out_of_office) == (250, b"Message accepted")
    assert messages_of("email") == []


@pytest.mark.django_db(transaction=True)
def test_a_bounce_from_the_null_sender_is_accepted_but_not_stored() -> None:
    with running_intake() as port:
        assert deliver(port, PLAIN, sender="") == (250, b"Message accepted")
    assert messages_of("email") == []


@pytest.mark.django_db(transaction=True)
def test_bytes_that_are_not_an_email_are_refused_with_554() -> None:
    with running_intake() as port:
        code, reply = deliver(port, b"just some words, no headers at all\r\n")
    assert code == 554 and b"Not a readable e-mail" in reply
    assert messages_of("email") == []


@pytest.mark.django_db(transaction=True)
def test_an_oversized_message_is_refused_with_552(settings: Any) -> None:
    settings.EMAIL_INTAKE_MAX_BYTES = 2048
    huge = PLAIN + b"x" * 70 + (b"\r\n" + b"x" * 70) * 60
    with running_intake() as port:
        # A client that declares the size (RFC 1870) is refused at MAIL FROM.
        with (
            pytest.raises(smtplib.SMTPSenderRefused) as refused,
            smtplib.SMTP(HOST, port, timeout=SMTP_TIMEOUT) as session,
        ):
            session.sendmail(REPORTER, [TIPLINE], huge)
        assert refused.value.smtp_code == 552
        # One that does not is refused after the data.
        code, _reply = deliver(port, huge)
        assert code == 552
        assert deliver(port, PLAIN)[0] == 250  # the limit is the message's, not the session's
    assert len(messages_of("email")) == 1


def test_the_command_serves_smtp_until_it_is_stopped() -> None:
    port = free_port()
    command = [sys.executable, "-m", "baraza.cli", "smtp-intake", "--port", str(port)]
    server = subprocess.Popen(  # noqa: S603 (our own command)
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ}
    )
    try:
        _wait_for_port(port, server)
        with smtplib.SMTP(HOST, port, timeout=SMTP_TIMEOUT) as session:
            code, _features = session.ehlo("relay.example.org")
            assert code == 250 and session.has_extn("size")
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=20)
    assert server.returncode == 0, output
    assert f"SMTP at {HOST}:{port}".encode() in output


def _wait_for_port(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"smtp-intake did not listen on {port}")


# --- Replies --------------------------------------------------------------------------------


def outgoing(**fields: Any) -> Outgoing:
    values: dict[str, Any] = {
        "address": REPORTER,
        "text": "Thank you. We received your report. Your tracking code is K7QM-3XHP-9TWD.",
        "kind": "received",
        "language": "en",
        "last_inbound_at": None,
        "report_code": "K7QM-3XHP-9TWD",
        "subject": "Polling stations closing early?",
        **fields,
    }
    return Outgoing(**values)


def test_a_reply_answers_the_reporter_as_an_automatic_reply(
    settings: Any, mailoutbox: list[Any]
) -> None:
    settings.EMAIL_INTAKE_ADDRESS = TIPLINE
    message_id = Email().send(outgoing())
    [sent] = mailoutbox
    assert sent.to == [REPORTER] and sent.from_email == TIPLINE
    assert sent.subject == "Re: Polling stations closing early?"
    assert sent.body == outgoing().text
    headers = sent.message()
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["Message-ID"] == message_id and message_id.endswith("@baraza.example>")


def test_a_reply_to_a_reply_does_not_stack_re(mailoutbox: list[Any]) -> None:
    Email().send(outgoing(subject="RE: Polling stations"))
    assert mailoutbox[0].subject == "RE: Polling stations"


def test_a_notice_without_a_subject_names_the_tracking_code_in_the_reporter_language(
    mailoutbox: list[Any],
) -> None:
    Email().send(outgoing(subject=""))
    Email().send(outgoing(subject="", language="fr"))
    assert [sent.subject for sent in mailoutbox] == [
        "Report K7QM-3XHP-9TWD",
        "Signalement K7QM-3XHP-9TWD",
    ]


class Relay:
    """A mail server on loopback that takes Django's mail, or refuses it as scripted."""

    def __init__(self) -> None:
        self.received: list[Envelope] = []
        self.rcpt_answer = "250 OK"
        self.data_answer = "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self.rcpt_answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return self.rcpt_answer

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        if self.data_answer.startswith("250"):
            self.received.append(envelope)
        return self.data_answer


@pytest.fixture
def relay(settings: Any) -> Iterator[Relay]:
    handler = Relay()
    port = free_port()
    controller = Controller(handler, hostname=HOST, port=port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = HOST, port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_INTAKE_ADDRESS = TIPLINE
    controller.start()
    yield handler
    controller.stop()


def test_a_reply_travels_by_smtp_with_its_headers(relay: Relay) -> None:
    message_id = Email().send(outgoing())
    [envelope] = relay.received
    assert (envelope.mail_from, envelope.rcpt_tos) == (TIPLINE, [REPORTER])
    assert isinstance(envelope.content, bytes)
    sent = message_from_bytes(envelope.content, policy=policy.default)
    assert sent["Auto-Submitted"] == "auto-replied" and sent["Message-ID"] == message_id
    assert "K7QM-3XHP-9TWD" in sent.get_content()


@pytest.mark.parametrize(
    ("rcpt", "data", "retry"),
    [
        (f"550 5.1.1 <{REPORTER}>: Recipient address rejected", "250 OK", False),
        ("451 4.7.1 Greylisted, try again later", "250 OK", True),
        ("250 OK", "554 5.7.1 Rejected as spam", False),
        ("250 OK", "452 4.3.1 Insufficient system storage", True),
    ],
)
def test_a_refusal_is_final_when_permanent_and_tried_again_when_temporary(
    relay: Relay, rcpt: str, data: str, retry: bool
) -> None:
    relay.rcpt_answer, relay.data_answer = rcpt, data
    with pytest.raises(SendFailed) as failed:
        Email().send(outgoing())
    assert failed.value.retry is retry
    assert f"SMTP {(rcpt if rcpt != '250 OK' else data)[:3]}" in failed.value.reason
    assert REPORTER not in failed.value.reason  # stored in clear on the reply: no address


def test_a_mail_server_that_is_down_is_tried_again(relay: Relay, settings: Any) -> None:
    settings.EMAIL_PORT = free_port()  # nothing listens there
    with pytest.raises(SendFailed) as failed:
        Email().send(outgoing())
    assert failed.value.retry is True and "could not reach" in failed.value.reason
