"""E-mail as a tipline. Reports arrive in a mailbox that a periodic task polls over IMAP
(`poll_mailbox`), or straight from a mail relay through `baraza smtp-intake` (`IntakeHandler`);
replies go out through Django's mail backend (`Email.send`).

Mail that a program sent (auto-replies, bounces, mailing lists) is never turned into a report:
answering it would start a loop between our auto-reply and theirs.
"""

from __future__ import annotations

import html
import imaplib
import logging
import re
import smtplib
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from email import errors as email_errors
from email import policy
from email.message import EmailMessage as ParsedMail
from email.parser import BytesParser
from email.utils import make_msgid
from hashlib import sha256
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import nh3
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.db import DatabaseError, close_old_connections
from django.utils import translation
from django.utils.translation import gettext as _
from imap_tools import AND, BaseMailBox, MailBox, MailBoxUnencrypted, MailMessage
from imap_tools.consts import MailMessageFlags
from imap_tools.errors import ImapToolsError, MailboxFlagError
from imap_tools.utils import check_command_status

from baraza.channels.incoming import IncomingMessage, Media, media_kind, urls_in
from baraza.channels.models import Provider
from baraza.channels.providers import ChatProvider, FetchFailed, Outgoing, SendFailed
from baraza.intake.models import Channel, Platform

log = logging.getLogger(__name__)

# How long one IMAP connection attempt or command may hang before the poll gives up.
IMAP_TIMEOUT_SECONDS = 30
# Messages fetched, stored and flagged seen together: a crash re-reads at most this many.
POLL_BATCH = 50

_PREFIXES = r"(?:re|aw|sv|fwd?|tr|wg|rv)"
_LEADING_PREFIXES = re.compile(rf"^\s*(?:{_PREFIXES}\s*:\s*)+", re.IGNORECASE)
_REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|sv)\s*:", re.IGNORECASE)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:(?:re|aw|sv)\s*:\s*)*(?:fwd?|tr|wg|rv)\s*:", re.IGNORECASE)
_FORWARD_MARKER = re.compile(
    r"^\s*-{2,}\s*(?:forwarded message|original message|message transféré|message d'origine)"
    r"\s*-{2,}",
    re.IGNORECASE | re.MULTILINE,
)
_ATTRIBUTION = re.compile(r"(?:wrote|a écrit)\s*:\s*$", re.IGNORECASE)
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_HREF = re.compile(r"""href\s*=\s*["']?(https?://[^"'\s>]+)""", re.IGNORECASE)
_BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|li|tr|h[1-6]|blockquote|table)\s*>", re.IGNORECASE)
_HIDDEN_HTML = frozenset({"head", "script", "style", "title"})
_AUTOMATIC_PRECEDENCE = frozenset({"bulk", "junk", "list"})


# --- Reading --------------------------------------------------------------------------------


def parse_email(raw: bytes) -> IncomingMessage | None:
    """What a reporter's e-mail says: its subject and words (quoted replies and signatures
    dropped), links, attachments (by SHA-256, with their bytes) and who to answer. None for
    mail a program sent (auto-replies, bounces, lists), which must not be answered; ValueError
    for bytes that are not an e-mail."""
    try:
        return _parse(raw)
    except (email_errors.MessageError, LookupError, IndexError) as error:
        raise ValueError(f"not a readable e-mail: {error}") from error


def _parse(raw: bytes) -> IncomingMessage | None:
    mail = cast(ParsedMail, BytesParser(policy=policy.default).parsebytes(raw))
    if mail.get("From") is None and mail.get("Reply-To") is None:
        raise ValueError("not an e-mail: it has no From header")
    if _sent_by_a_program(mail):
        return None
    address = _first_address(mail, "Reply-To") or _first_address(mail, "From")
    if not address:
        return None  # a null sender: nobody to answer
    subject = _header(mail, "Subject")
    forwarded = bool(_FORWARD_SUBJECT.match(subject)) or _has_forwarded_part(mail)
    body, links = _body(mail, forwarded)
    forwarded = forwarded or bool(_FORWARD_MARKER.search(body))
    text = _joined([_topic(subject, body), body, *_forwarded_texts(mail)])
    return IncomingMessage(
        provider=Provider.EMAIL,
        message_id=_message_id(mail, raw),
        address=address,
        text=text,
        urls=tuple(dict.fromkeys([*urls_in(text), *links])),
        media=tuple(_attachments(mail)),
        forwarded=forwarded,
        language_hint=_language(mail),
        sent_at=_sent_at(mail),
        extra={"subject": subject},
    )


def _topic(subject: str, body: str) -> str:
    """The subject, as the first line of the tip; a reply's subject is only ours repeated
    ("Re: ..."), and dropping it lets a reply that says STOP be read as the command."""
    if body and _REPLY_SUBJECT.match(subject):
        return ""
    return _LEADING_PREFIXES.sub("", subject).strip()


def _header(mail: ParsedMail, name: str) -> str:
    return str(mail.get(name, "") or "").strip()


def _sent_by_a_program(mail: ParsedMail) -> bool:
    auto = _header(mail, "Auto-Submitted").split(";")[0].strip().lower()
    sender = _first_address(mail, "From")
    return (
        (bool(auto) and auto != "no")
        or _header(mail, "Precedence").lower() in _AUTOMATIC_PRECEDENCE
        or mail.get("List-Id") is not None  # RFC 3834 section 2: never answer a list
        or bool(_header(mail, "X-Autoreply") or _header(mail, "X-Autorespond"))
        or mail.get_content_type() == "multipart/report"  # a delivery status notification
        or _header(mail, "Return-Path") == "<>"
        or sender.split("@")[0] == "mailer-daemon"
    )


def _first_address(mail: ParsedMail, name: str) -> str:
    header = mail.get(name)
    for address in getattr(header, "addresses", ()):
        spec = str(address.addr_spec or "").strip().lower()
        if "@" in spec:
            return spec
    return ""


def _message_id(mail: ParsedMail, raw: bytes) -> str:
    return _header(mail, "Message-ID") or "sha256:" + sha256(raw).hexdigest()


def _language(mail: ParsedMail) -> str:
    body = mail.get_body(preferencelist=("plain", "html"))
    for part in (mail, body):
        if part is not None and (value := _header(cast(ParsedMail, part), "Content-Language")):
            return value.split(",")[0].strip().lower()[:16]
    return ""


def _sent_at(mail: ParsedMail) -> datetime | None:
    try:
        value = getattr(mail.get("Date"), "datetime", None)
    except (ValueError, TypeError):  # a Date header no parser understands
        return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _part_text(part: ParsedMail) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown or lying charset
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def _body(mail: ParsedMail, forwarded: bool) -> tuple[str, list[str]]:
    """The words of the message and, for HTML mail, the links behind them."""
    plain = mail.get_body(preferencelist=("plain",))
    if plain is not None:
        return _without_quotes(_part_text(cast(ParsedMail, plain)), forwarded), []
    rich = mail.get_body(preferencelist=("html",))
    if rich is None:
        return "", []
    markup = _part_text(cast(ParsedMail, rich))
    links = [html.unescape(link) for link in _HREF.findall(markup)]
    return _without_quotes(_html_text(markup, forwarded), forwarded), links


def _html_text(markup: str, forwarded: bool) -> str:
    # Line breaks in HTML source are spaces; lines end where a block or a <br> does.
    spaced = _BLOCK_END.sub(lambda found: found.group(0) + "\n", " ".join(markup.split()))
    # Replies quote what they answer in a <blockquote>; a forward's quote is the tip itself.
    hidden = set(_HIDDEN_HTML) if forwarded else {*_HIDDEN_HTML, "blockquote"}
    text = html.unescape(nh3.clean(spaced, tags=set(), attributes={}, clean_content_tags=hidden))
    return "\n".join(line.strip() for line in text.splitlines())


def _without_quotes(text: str, forwarded: bool) -> str:
    """Drops what the reporter did not write: quoted replies (unless the mail forwards them:
    then they are the tip) and signatures, up to the forwarded message if one follows."""
    kept: list[str] = []
    in_signature = False
    for line in text.splitlines():
        if in_signature and not _FORWARD_MARKER.match(line):
            continue
        in_signature = False
        if line in ("-- ", "--"):
            in_signature = True
        elif _QUOTE.match(line) and forwarded:
            kept.append(_QUOTE.sub("", line))
        elif _QUOTE.match(line):
            _drop_attribution(kept)
        else:
            kept.append(line)
    return _joined(["\n".join(kept)])


def _drop_attribution(kept: list[str]) -> None:
    """The line that introduces a quote ("On Monday, Wanjiru wrote:") goes with it."""
    while kept and not kept[-1].strip():
        kept.pop()
    if kept and _ATTRIBUTION.search(kept[-1]):
        kept.pop()


def _joined(parts: list[str]) -> str:
    text = "\n\n".join(part.strip() for part in parts if part and part.strip())
    return re.sub(r"\n{3,}", "\n\n", text)


def _has_forwarded_part(mail: ParsedMail) -> bool:
    return any(part.get_content_type() == "message/rfc822" for part in mail.walk())


def _forwarded_texts(mail: ParsedMail) -> list[str]:
    """The subject and words of each message forwarded as an attachment."""
    texts = []
    for part in mail.walk():
        if part.get_content_type() != "message/rfc822":
            continue
        inner = part.get_content()
        if isinstance(inner, ParsedMail):
            subject = _LEADING_PREFIXES.sub("", _header(inner, "Subject")).strip()
            texts.append(_joined([subject, _body(inner, forwarded=True)[0]]))
    return texts


def _attachments(mail: ParsedMail) -> list[Media]:
    found = []
    for part in mail.walk():
        if part.is_multipart():
            continue
        if part.get_content_maintype() == "text" and not part.is_attachment():
            continue  # the body, or its other rendering
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload:
            continue
        found.append(
            Media(
                kind=media_kind(part.get_content_type()),
                reference="sha256:" + sha256(payload).hexdigest(),
                mime_type=part.get_content_type(),
                size=len(payload),
                name=part.get_filename() or "",
                content=payload,
            )
        )
    return found


# --- Polling a mailbox ----------------------------------------------------------------------


class MailboxUnavailable(Exception):
    """The intake mailbox could not be reached, logged in to or read."""


@dataclass(frozen=True)
class MailboxAddress:
    encrypted: bool
    host: str
    port: int
    user: str
    password: str
    folder: str


def mailbox_address(url: str) -> MailboxAddress:
    """imap[s]://user:password@host:port/FOLDER, with user and password URL-quoted."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port that is not a number
        port = -1
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or port == -1:
        raise ImproperlyConfigured(
            "BARAZA_EMAIL_INTAKE_IMAP_URL must look like imaps://user:password@host:993/INBOX"
        )
    encrypted = parts.scheme == "imaps"
    return MailboxAddress(
        encrypted=encrypted,
        host=parts.hostname,
        port=port or (993 if encrypted else 143),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


_IMAP_FAILURES = (OSError, imaplib.IMAP4.error, ImapToolsError)


class _RawMail(MailMessage):
    """imap_tools parses with the old compat32 policy; keeping the bytes lets parse_email read
    them as SMTP intake does, so both give the same message the same id."""

    def __init__(self, fetch_data: list[Any]) -> None:
        super().__init__(fetch_data)
        self.raw: bytes = self._get_message_data_parts(fetch_data)[0]


def _log_in(where: MailboxAddress) -> BaseMailBox:
    box_class = MailBox if where.encrypted else MailBoxUnencrypted
    try:
        box = box_class(where.host, where.port, timeout=IMAP_TIMEOUT_SECONDS)
        box.email_message_class = _RawMail
        return box.login(where.user, where.password, initial_folder=where.folder)
    except _IMAP_FAILURES as error:
        raise MailboxUnavailable(
            f"could not log in to the intake mailbox as {where.user!r} at "
            f"{where.host}:{where.port} (folder {where.folder}): {error}"
        ) from error


def poll_mailbox() -> int:
    """Store every unseen message in the intake mailbox, then flag it seen; returns how many
    were fetched. Nothing is flagged before it is stored, so a crash in between re-reads the
    message next time (storing is idempotent by Message-ID)."""
    if not settings.EMAIL_INTAKE_IMAP_URL:
        return 0
    where = mailbox_address(settings.EMAIL_INTAKE_IMAP_URL)
    box = _log_in(where)
    try:
        return _drain(box)
    except _IMAP_FAILURES as error:
        raise MailboxUnavailable(
            f"reading the intake mailbox at {where.host}:{where.port} failed: {error}"
        ) from error
    finally:
        with suppress(*_IMAP_FAILURES):
            box.logout()


def _drain(box: BaseMailBox) -> int:
    from baraza.channels.actions import do_receive_messages

    uids = box.uids(AND(seen=False))
    fetched = 0
    for start in range(0, len(uids), POLL_BATCH):
        mails = list(box.fetch(uid_list=uids[start : start + POLL_BATCH], mark_seen=False))
        readable = [message for message in map(_readable, mails) if message is not None]
        do_receive_messages(readable)
        _flag_seen(box, [mail.uid for mail in mails if mail.uid])
        fetched += len(mails)
    return fetched


def _flag_seen(box: BaseMailBox, uids: list[str]) -> None:
    # Not imap_tools' flag(): it expunges too, purging mail someone else marked deleted.
    if uids:
        result = box.client.uid("STORE", ",".join(uids), "+FLAGS", f"({MailMessageFlags.SEEN})")
        check_command_status(result, MailboxFlagError)


def _readable(mail: MailMessage) -> IncomingMessage | None:
    try:
        return parse_email(cast(_RawMail, mail).raw)
    except ValueError as error:
        # Flagged seen like the others: an unreadable message must not block the mailbox.
        log.warning("skipped an unreadable e-mail (IMAP uid %s): %s", mail.uid, error)
        return None


# --- Receiving by SMTP ----------------------------------------------------------------------

ACCEPTED = "250 Message accepted"


def receive_mail(raw: bytes) -> str:
    """Store one message a relay delivered and say what to answer it (an SMTP reply). Mail a
    program sent is accepted and dropped, so the relay does not retry it."""
    from baraza.channels.actions import do_receive_messages

    close_old_connections()
    try:
        try:
            message = parse_email(raw)
        except ValueError as error:
            log.info("refused an unreadable e-mail: %s", error)
            return "554 5.6.0 Not a readable e-mail"
        if message is not None:
            do_receive_messages([message])
        return ACCEPTED
    except (DatabaseError, OSError):  # the database, or the disk its attachments go to
        log.exception("could not store an e-mail; the relay will try again")
        return "451 4.3.0 Could not store the message, try again later"
    finally:
        close_old_connections()


class IntakeHandler:
    """aiosmtpd's handler for `baraza smtp-intake`. Django's database calls block, so they run
    in a worker thread, one at a time (SQLite takes one writer)."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        if envelope.mail_from in ("", "<>"):
            return ACCEPTED  # a bounce (null reverse-path): never answered
        content = envelope.original_content or envelope.content or b""
        raw = content if isinstance(content, bytes) else content.encode()
        return await sync_to_async(receive_mail, thread_sensitive=True)(raw)


def intake_controller(host: str, port: int) -> Controller:
    """The SMTP server `baraza smtp-intake` runs (tests start the same one on a free port).
    Bigger messages than BARAZA_EMAIL_INTAKE_MAX_BYTES are refused with 552."""
    return Controller(
        IntakeHandler(),
        hostname=host,
        port=port,
        data_size_limit=settings.EMAIL_INTAKE_MAX_BYTES,
    )


# --- Sending --------------------------------------------------------------------------------


def reply_subject(message: Outgoing) -> str:
    subject = " ".join(message.subject.split())
    if subject:
        return subject if re.match(r"re\s*:", subject, re.IGNORECASE) else f"Re: {subject}"
    with translation.override(message.language or settings.LANGUAGE_CODE):
        if message.report_code:
            return _("Report %(code)s") % {"code": message.report_code}
        return _("Your message")


def _domain(address: str) -> str | None:
    return address.rpartition("@")[2].strip("> ") or None


class Email(ChatProvider):
    name = Provider.EMAIL
    channel = Channel.EMAIL
    platform = Platform.OTHER
    # Replies go through Django's mail settings; mail comes in by IMAP or `smtp-intake`.
    settings_needed: tuple[str, ...] = ()

    def send(self, message: Outgoing) -> str:
        message_id = make_msgid(domain=_domain(settings.EMAIL_INTAKE_ADDRESS))
        mail = EmailMessage(
            subject=reply_subject(message),
            body=message.text,
            from_email=settings.EMAIL_INTAKE_ADDRESS,
            to=[message.address],
            headers={"Auto-Submitted": "auto-replied", "Message-ID": message_id},
        )
        try:
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            answers = list(error.recipients.values())
            # A 4xx on RCPT is greylisting or a full mailbox: worth another try.
            raise SendFailed(
                _without(message.address, "recipient refused: " + _said(answers)),
                retry=_soft([code for code, _text in answers]),
            ) from error
        except smtplib.SMTPResponseException as error:
            answer = (error.smtp_code, error.smtp_error)
            raise SendFailed(
                _without(message.address, _said([answer])), retry=_soft([error.smtp_code])
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise SendFailed(f"could not reach the mail server: {error}", retry=True) from error
        except ValueError as error:  # an address with a newline in it
            raise SendFailed("not an e-mail address we can write to", retry=False) from error
        return message_id

    def fetch_media(self, media: dict[str, Any]) -> bytes:
        # The bytes came with the mail and were kept when it was stored; none are left to ask.
        raise FetchFailed("an attachment is kept when its e-mail is received", retry=False)


def _said(answers: Sequence[tuple[int, bytes | str]]) -> str:
    def text(said: bytes | str) -> str:
        return said.decode("utf-8", "replace") if isinstance(said, bytes) else said

    return "; ".join(f"SMTP {code} {text(said)}" for code, said in answers)


def _without(address: str, reason: str) -> str:
    """The failure as stored on the reply, without the reporter's address, which is kept only
    encrypted (mail servers repeat it in their refusals)."""
    return re.sub(re.escape(address), "<the reporter>", reason, flags=re.IGNORECASE)


def _soft(codes: list[int]) -> bool:
    return bool(codes) and all(400 <= code < 500 for code in codes)
