"""Polling the intake mailbox over IMAP (RFC 9051, https://www.rfc-editor.org/rfc/rfc9051),
against a real Dovecot on loopback: unseen mail is stored and only then flagged \\Seen, mail
read before is not stored twice, and a mailbox that cannot be reached is a clear error."""

from __future__ import annotations

from typing import Any

import pytest
from imap_tools import AND
from imap_tools.consts import MailMessageFlags

from baraza.channels.actions import message_key
from baraza.channels.providers.email import MailboxUnavailable, mailbox_address, poll_mailbox
from baraza.channels.tests.dovecot import Dovecot, dovecot_fixture, free_port  # noqa: F401
from baraza.channels.tests.journeys import messages_of
from baraza.channels.tests.test_email_parsing import PLAIN, RUMOUR, mail

SECOND = mail(f"""
From: Aminata Diop <aminata@exemple.sn>
To: signalements@baraza.example
Subject: Rumeur
Date: Mon, 3 Jun 2024 08:00:00 +0000
Message-ID: <second@exemple.sn>

{RUMOUR}
""")


@pytest.fixture
def mailbox(dovecot: Dovecot, settings: Any) -> Dovecot:
    settings.EMAIL_INTAKE_IMAP_URL = dovecot.url()
    return dovecot


def test_two_unseen_mails_are_stored_and_flagged_seen(mailbox: Dovecot, db: None) -> None:
    mailbox.deliver(PLAIN, SECOND)
    assert poll_mailbox() == 2
    stored = messages_of("email")
    assert {message.provider_message_id for message in stored} == {
        message_key("email", "<1234@local.machine.example>"),
        message_key("email", "<second@exemple.sn>"),
    }
    assert all(RUMOUR in message.text for message in stored)
    assert (mailbox.unseen(), mailbox.seen()) == (0, 2)


def test_polling_again_stores_nothing(mailbox: Dovecot, db: None) -> None:
    mailbox.deliver(PLAIN, SECOND)
    poll_mailbox()
    assert poll_mailbox() == 0
    assert len(messages_of("email")) == 2


def test_mail_read_but_not_flagged_before_a_crash_is_not_stored_twice(
    mailbox: Dovecot, db: None
) -> None:
    mailbox.deliver(PLAIN, SECOND)
    poll_mailbox()
    with mailbox.mailbox() as box:  # as if the last poll had died before flagging
        box.flag(box.uids(AND(all=True)), MailMessageFlags.SEEN, False)
    assert poll_mailbox() == 2
    assert len(messages_of("email")) == 2
    assert mailbox.unseen() == 0


def test_an_auto_reply_is_flagged_seen_but_not_stored(mailbox: Dovecot, db: None) -> None:
    mailbox.deliver(
        mail("""
From: Wanjiru <wanjiru@example.org>
To: tips@baraza.example
Subject: Automatic reply: Your report
Message-ID: <ooo-2@example.org>
Auto-Submitted: auto-replied

I am away until Monday.
""")
    )
    assert poll_mailbox() == 1
    assert messages_of("email") == []
    assert mailbox.unseen() == 0


def test_a_wrong_password_is_a_clear_error_naming_the_server(
    dovecot: Dovecot, settings: Any, db: None
) -> None:
    dovecot.deliver(PLAIN)
    settings.EMAIL_INTAKE_IMAP_URL = dovecot.url(password="not the password")
    with pytest.raises(MailboxUnavailable, match=rf"log in .* at 127\.0\.0\.1:{dovecot.port}"):
        poll_mailbox()
    assert dovecot.unseen() == 1 and messages_of("email") == []


def test_a_folder_that_does_not_exist_is_a_clear_error(dovecot: Dovecot, settings: Any) -> None:
    settings.EMAIL_INTAKE_IMAP_URL = dovecot.url(folder="Tips")
    with pytest.raises(MailboxUnavailable, match="folder Tips"):
        poll_mailbox()


def test_a_server_that_is_down_is_a_clear_error(settings: Any) -> None:
    port = free_port()  # nothing listens there
    settings.EMAIL_INTAKE_IMAP_URL = f"imap://tips:secret@127.0.0.1:{port}/INBOX"
    with pytest.raises(MailboxUnavailable, match=rf"127\.0\.0\.1:{port}"):
        poll_mailbox()


def test_without_a_mailbox_nothing_is_polled(settings: Any) -> None:
    settings.EMAIL_INTAKE_IMAP_URL = None
    assert poll_mailbox() == 0


def test_the_mailbox_url_takes_quoted_credentials_and_defaults() -> None:
    where = mailbox_address("imaps://tips%40example.org:p%40ss%2Fword@mail.example.org/")
    assert (where.encrypted, where.host, where.port) == (True, "mail.example.org", 993)
    assert (where.user, where.password, where.folder) == ("tips@example.org", "p@ss/word", "INBOX")
    assert mailbox_address("imap://u:p@localhost:1143/Tips%20line").folder == "Tips line"
    assert mailbox_address("imap://u:p@localhost/").port == 143
