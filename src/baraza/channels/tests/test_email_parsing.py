"""What an e-mail becomes: who to answer, the words of the tip (without quoted replies or
signatures), its links and attachments; mail a program sent (auto-replies, bounces) becomes
nothing, so it is never answered.

Messages are shaped like the RFCs' own examples: RFC 5322 appendix A
(https://www.rfc-editor.org/rfc/rfc5322#appendix-A), RFC 2046 multipart
(https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1), RFC 2183 attachments
(https://www.rfc-editor.org/rfc/rfc2183#section-2), RFC 3282 Content-Language
(https://www.rfc-editor.org/rfc/rfc3282#section-2), RFC 3834 auto-replies
(https://www.rfc-editor.org/rfc/rfc3834#section-5), RFC 3464 delivery reports
(https://www.rfc-editor.org/rfc/rfc3464#appendix-B) and RFC 3676 signatures
(https://www.rfc-editor.org/rfc/rfc3676#section-4.3).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pytest

from baraza.channels.incoming import Media
from baraza.channels.models import Provider
from baraza.channels.providers.email import parse_email

RUMOUR = "Polling stations in Kisumu will close at 2pm on voting day, not 5pm."
# A 1x1 PNG.
PICTURE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def mail(text: str) -> bytes:
    """An RFC 5322 message from a readable literal: CRLF line ends, as on the wire."""
    return text.lstrip("\n").replace("\n", "\r\n").encode()


# RFC 5322 appendix A.1.1, "A message from one person to another with simple addressing".
PLAIN = mail(f"""
From: John Doe <JDoe@Machine.Example>
To: Tips <tips@baraza.example>
Subject: Polling stations closing early?
Date: Fri, 21 Nov 1997 09:55:06 -0600
Message-ID: <1234@local.machine.example>

{RUMOUR}
It is on https://rumours.example/kisumu-2pm. Is it true?
""")


def test_it_reads_a_plain_message() -> None:
    message = parse_email(PLAIN)
    assert message is not None
    assert message.provider == Provider.EMAIL
    assert message.address == "jdoe@machine.example"
    assert message.message_id == "<1234@local.machine.example>"
    assert message.text == (
        "Polling stations closing early?\n\n"
        f"{RUMOUR}\nIt is on https://rumours.example/kisumu-2pm. Is it true?"
    )
    assert message.urls == ("https://rumours.example/kisumu-2pm",)
    assert message.media == () and message.forwarded is False
    assert message.sent_at == datetime(1997, 11, 21, 15, 55, 6, tzinfo=UTC)
    assert message.extra == {"subject": "Polling stations closing early?"}


def test_it_answers_the_reply_to_address_rather_than_the_sender() -> None:
    # RFC 5322 appendix A.2, "Reply messages".
    message = parse_email(
        mail(f"""
From: Mary Smith <mary@example.net>
To: Tips <tips@baraza.example>
Reply-To: "Mary Smith: Personal Account" <Smith@Home.Example>
Subject: Re: Saying Hello
Date: Fri, 21 Nov 1997 10:01:10 -0600
Message-ID: <3456@example.net>
In-Reply-To: <1234@local.machine.example>
References: <1234@local.machine.example>

{RUMOUR}
""")
    )
    assert message is not None
    assert message.address == "smith@home.example"
    assert message.text == RUMOUR  # a reply's subject only repeats the one answered
    assert message.extra == {"subject": "Re: Saying Hello"}


def test_it_reads_html_only_mail_without_its_markup() -> None:
    message = parse_email(
        mail("""
From: Wanjiru <wanjiru@example.org>
To: tips@baraza.example
Subject: Seen on Facebook
Date: Mon, 3 Jun 2024 08:00:00 +0300
Message-ID: <html-1@example.org>
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"

<html><head><title>Mail</title><style>p { color: red; }</style></head>
<body><p>Polling stations in Kisumu will close at <b>2pm</b> &amp; not 5pm.</p>
<p>Source: <a href="https://facebook.example/posts/42?ref=a&amp;s=b">this post</a></p>
<script>alert(1)</script>
<blockquote>An older message I answered</blockquote></body></html>
""")
    )
    assert message is not None
    assert message.text == (
        "Seen on Facebook\n\n"
        "Polling stations in Kisumu will close at 2pm & not 5pm.\nSource: this post"
    )
    assert message.urls == ("https://facebook.example/posts/42?ref=a&s=b",)


def test_it_lists_an_attached_picture_by_its_sha256() -> None:
    picture = base64.encodebytes(PICTURE).decode().strip()
    message = parse_email(
        mail(f"""
From: Otieno <otieno@example.org>
To: tips@baraza.example
Subject: This poster is everywhere
Date: Mon, 3 Jun 2024 08:00:00 +0300
Message-ID: <picture-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="simple boundary"

This is the preamble.  It is to be ignored.

--simple boundary
Content-Type: text/plain; charset=us-ascii

{RUMOUR}
--simple boundary
Content-Type: image/png
Content-Disposition: attachment; filename="poster.png"
Content-Transfer-Encoding: base64

{picture}
--simple boundary--

This is the epilogue.  It is also to be ignored.
""")
    )
    assert message is not None
    assert message.text == f"This poster is everywhere\n\n{RUMOUR}"
    digest = hashlib.sha256(PICTURE).hexdigest()
    assert message.media == (
        Media("image", f"sha256:{digest}", "image/png", len(PICTURE), "poster.png"),
    )


def test_it_marks_a_forwarded_message_and_keeps_what_it_forwards() -> None:
    message = parse_email(
        mail(f"""
From: Otieno <otieno@example.org>
To: tips@baraza.example
Subject: Fwd: URGENT voting day change
Date: Mon, 3 Jun 2024 08:00:00 +0300
Message-ID: <fwd-1@example.org>

Got this from my church group.
--\x20
Otieno, Kisumu

---------- Forwarded message ---------
From: Unknown <news@rumours.example>
Subject: URGENT voting day change

> {RUMOUR}
""")
    )
    assert message is not None and message.forwarded is True
    assert message.text.startswith("URGENT voting day change\n\nGot this from my church group.")
    assert RUMOUR in message.text  # a forward's quote is the tip itself
    assert "Otieno, Kisumu" not in message.text


def test_a_message_attached_to_a_forward_is_read_as_part_of_the_tip() -> None:
    # Forwarding "as attachment": a message/rfc822 part (RFC 2046 section 5.2.1).
    message = parse_email(
        mail(f"""
From: Otieno <otieno@example.org>
To: tips@baraza.example
Subject: Look at this
Date: Mon, 3 Jun 2024 08:00:00 +0300
Message-ID: <fwd-2@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=us-ascii

Is this true?
--outer
Content-Type: message/rfc822

From: Unknown <news@rumours.example>
Subject: Voting day change
Message-ID: <inner@rumours.example>

{RUMOUR}
--outer--
""")
    )
    assert message is not None and message.forwarded is True
    assert message.text == f"Look at this\n\nIs this true?\n\nVoting day change\n\n{RUMOUR}"
    assert message.media == ()


def test_a_french_message_carries_its_language_and_its_forward() -> None:
    rumeur = "Les bureaux de vote de Dakar fermeront à 14 heures le jour du scrutin."
    message = parse_email(
        mail(f"""
From: =?utf-8?q?Aminata_Diop?= <aminata@exemple.sn>
To: signalements@baraza.example
Subject: =?utf-8?q?TR=C2=A0:_Changement_d=27horaires?=
Date: Mon, 3 Jun 2024 08:00:00 +0000
Message-ID: <tr-1@exemple.sn>
MIME-Version: 1.0
Content-Language: fr
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{rumeur}
""")
    )
    assert message is not None
    assert message.language_hint == "fr" and message.forwarded is True
    assert message.text == f"Changement d'horaires\n\n{rumeur}"


def test_quoted_replies_and_the_signature_are_dropped() -> None:
    message = parse_email(
        mail(f"""
From: Wanjiru <wanjiru@example.org>
To: tips@baraza.example
Subject: Re: Your report K7QM-3XHP-9TWD
Date: Mon, 3 Jun 2024 08:00:00 +0300
Message-ID: <reply-1@example.org>

Here is another one: {RUMOUR}

On Mon, 3 Jun 2024 at 07:00, Baraza <tips@baraza.example> wrote:
> Thank you. We received your report.
> Your tracking code is K7QM-3XHP-9TWD.

--\x20
Wanjiru Kamau
Sent from my phone
""")
    )
    assert message is not None
    assert message.text == f"Here is another one: {RUMOUR}"


def test_a_reply_that_only_says_stop_reads_as_the_command() -> None:
    message = parse_email(
        mail("""
From: Wanjiru <wanjiru@example.org>
To: tips@baraza.example
Subject: Re: Polling stations closing early?
Message-ID: <reply-2@example.org>

STOP

On Mon, 3 Jun 2024 at 07:00, Baraza <tips@baraza.example> wrote:
> Thank you. We received your report.
""")
    )
    assert message is not None and message.text == "STOP"


def test_a_message_with_only_a_subject_is_read_from_its_subject() -> None:
    message = parse_email(
        mail("""
From: Wanjiru <wanjiru@example.org>
Subject: Re: status K7QM-3XHP-9TWD
Message-ID: <subject-only@example.org>

""")
    )
    assert message is not None and message.text == "status K7QM-3XHP-9TWD"


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: auto-replied",  # RFC 3834 section 5: out of office
        "Auto-Submitted: auto-generated",
        "Precedence: bulk",
        "Precedence: list",
        "Precedence: junk",
        "Return-Path: <>",  # a null sender (RFC 5321 section 4.5.5)
        "X-Autoreply: yes",
        # RFC 2919 section 3 (https://www.rfc-editor.org/rfc/rfc2919#section-3).
        "List-Id: List Header Mailing List <list-header.nisto.com>",
    ],
)
def test_it_refuses_mail_a_program_sent(headers: str) -> None:
    raw = mail(f"""
From: Wanjiru <wanjiru@example.org>
To: tips@baraza.example
Subject: Out of office
Message-ID: <auto-1@example.org>
{headers}

I am away until Monday.
""")
    assert parse_email(raw) is None


def test_it_reads_mail_that_says_a_person_sent_it() -> None:
    raw = mail(f"""
From: Wanjiru <wanjiru@example.org>
Subject: Tip
Message-ID: <person-1@example.org>
Auto-Submitted: no

{RUMOUR}
""")
    assert parse_email(raw) is not None


def test_it_refuses_a_bounce() -> None:
    # RFC 3464 appendix B, "Example Delivery Status Notifications".
    raw = mail("""
Date: Thu, 7 Jul 1994 17:16:05 -0400
From: Mail Delivery Subsystem <MAILER-DAEMON@CS.UTK.EDU>
Message-Id: <199407072116.RAA14128@CS.UTK.EDU>
Subject: Returned mail: Cannot send message for 5 days
To: <tips@baraza.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
    boundary="RAA14128.773615765/CS.UTK.EDU"

--RAA14128.773615765/CS.UTK.EDU

The original message was received at Sat, 2 Jul 1994 17:10:28 -0400

--RAA14128.773615765/CS.UTK.EDU
content-type: message/delivery-status

Reporting-MTA: dns; cs.utk.edu

Original-Recipient: rfc822;louisl@larry.slip.umd.edu
Final-Recipient: rfc822;louisl@larry.slip.umd.edu
Action: failed
Status: 4.0.0

--RAA14128.773615765/CS.UTK.EDU--
""")
    assert parse_email(raw) is None


def test_it_refuses_a_message_from_the_mailer_daemon() -> None:
    raw = mail("""
From: MAILER-DAEMON@mail.example.org
Subject: Undeliverable
Message-ID: <daemon-1@mail.example.org>

Your message could not be delivered.
""")
    assert parse_email(raw) is None


def test_a_message_without_a_message_id_is_known_by_the_hash_of_its_bytes() -> None:
    raw = mail(f"""
From: Wanjiru <wanjiru@example.org>
Subject: Tip

{RUMOUR}
""")
    message = parse_email(raw)
    assert message is not None
    assert message.message_id == f"sha256:{hashlib.sha256(raw).hexdigest()}"
    again = parse_email(raw)
    assert again is not None and again.message_id == message.message_id
    other = parse_email(raw.replace(b"2pm", b"3pm"))
    assert other is not None and other.message_id != message.message_id


def test_it_refuses_bytes_that_are_not_an_email() -> None:
    with pytest.raises(ValueError, match="no From"):
        parse_email(b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n")
