"""An e-mailed tip, end to end: in by the IMAP mailbox (a real Dovecot), a report and its case,
the reply with the tracking code in the sender's language (Django's locmem backend,
`mail.outbox`), and the decision told to the sender by e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail as django_mail

from baraza.channels.providers.email import poll_mailbox
from baraza.channels.tests.dovecot import Dovecot, dovecot_fixture  # noqa: F401
from baraza.channels.tests.journeys import chat_report, decide_case_of
from baraza.channels.tests.test_email_parsing import RUMOUR, mail

TIPLINE = "signalements@baraza.example"
RUMEUR = (
    "Les bureaux de vote de Dakar fermeront à 14 heures le jour du scrutin et non à 18 heures, "
    "selon la commission électorale. Partagez ce message avec toute votre famille."
)
# Shaped like RFC 5322 appendix A.1.1 (https://www.rfc-editor.org/rfc/rfc5322#appendix-A.1.1),
# in French as RFC 3282 says it (https://www.rfc-editor.org/rfc/rfc3282#section-2).
FRENCH = mail(f"""
From: Aminata Diop <Aminata@Exemple.SN>
To: {TIPLINE}
Subject: Horaires des bureaux de vote
Date: Mon, 3 Jun 2024 08:00:00 +0000
Message-ID: <journey-fr@exemple.sn>
MIME-Version: 1.0
Content-Language: fr
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{RUMEUR}

--\x20
Aminata
""")
ENGLISH = mail(f"""
From: John Doe <jdoe@machine.example>
To: {TIPLINE}
Subject: Polling stations closing early?
Date: Mon, 3 Jun 2024 08:00:00 +0300
Message-ID: <journey-en@machine.example>

{RUMOUR}
""")


@pytest.fixture
def mailbox(dovecot: Dovecot, settings: Any) -> Dovecot:
    settings.EMAIL_INTAKE_IMAP_URL = dovecot.url()
    settings.EMAIL_INTAKE_ADDRESS = TIPLINE
    return dovecot


def test_an_email_becomes_a_report_answered_with_its_tracking_code(
    mailbox: Dovecot, placed: Any, people: Any
) -> None:
    mailbox.deliver(ENGLISH)
    with placed():
        assert poll_mailbox() == 1
    report = chat_report("email")
    assert report.channel == "email"
    assert report.text == f"Polling stations closing early?\n\n{RUMOUR}"
    [reply] = django_mail.outbox
    assert reply.to == ["jdoe@machine.example"] and reply.from_email == TIPLINE
    assert reply.subject == "Re: Polling stations closing early?"
    assert reply.message()["Auto-Submitted"] == "auto-replied"
    assert "tracking code" in reply.body and report.display_code in reply.body


def test_a_french_email_is_answered_in_french_and_told_of_the_decision(
    mailbox: Dovecot, placed: Any, people: Any, client: Any
) -> None:
    mailbox.deliver(FRENCH)
    with placed():
        poll_mailbox()
    report = chat_report("email")
    assert (report.channel, report.text) == ("email", f"Horaires des bureaux de vote\n\n{RUMEUR}")
    [reply] = django_mail.outbox
    assert reply.to == ["aminata@exemple.sn"]
    assert "code de suivi" in reply.body and report.display_code in reply.body
    assert mailbox.unseen() == 0

    with placed():
        decide_case_of(report, people, client)
    received, decided = django_mail.outbox
    assert received is reply and decided.to == ["aminata@exemple.sn"]
    assert report.display_code in decided.body
    assert decided.message()["Auto-Submitted"] == "auto-replied"


def test_polling_the_same_mail_again_makes_no_second_report_or_reply(
    mailbox: Dovecot, placed: Any, people: Any
) -> None:
    mailbox.deliver(ENGLISH)
    with placed():
        poll_mailbox()
    with mailbox.mailbox() as box:  # the mail server lost the \\Seen flag
        box.flag(box.uids(), "\\Seen", False)
    with placed():
        assert poll_mailbox() == 1
    chat_report("email")  # exactly one
    assert len(django_mail.outbox) == 1


def test_a_reply_that_says_stop_stops_the_notices(
    mailbox: Dovecot, placed: Any, people: Any, client: Any
) -> None:
    mailbox.deliver(ENGLISH)
    with placed():
        poll_mailbox()
    report = chat_report("email")
    mailbox.deliver(
        mail(f"""
From: John Doe <jdoe@machine.example>
To: {TIPLINE}
Subject: Re: Polling stations closing early?
Date: Mon, 3 Jun 2024 09:00:00 +0300
Message-ID: <journey-stop@machine.example>
In-Reply-To: <journey-en@machine.example>

STOP

On Mon, 3 Jun 2024 at 08:01, Baraza <{TIPLINE}> wrote:
> Thank you. We received your report.
""")
    )
    with placed():
        poll_mailbox()
    received, stopped = django_mail.outbox
    assert report.display_code in received.body
    assert stopped.to == ["jdoe@machine.example"] and "no more messages" in stopped.body
    with placed():
        decide_case_of(report, people, client)
    assert len(django_mail.outbox) == 2  # no decision notice after STOP
