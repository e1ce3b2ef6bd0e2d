"""What a tipline understands and what it says: the reply language, the commands, and the words
of every reply. Commands are recognised in every UI language of the deployment, whatever the
language the sender was answered in before."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from baraza.intake.models import Report
from baraza.matching.langid import detect_language


def ui_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def reply_language(hint: str, text: str, previous: str = "") -> str:
    """The platform's hint when we speak it; else the text's language when it is long enough
    to tell and we speak it; else the language we answered this sender in before; else the
    deployment's default."""
    spoken = ui_languages()
    for candidate in (hint, detect_language(text) if text else ""):
        primary = candidate.split("-")[0].split("_")[0].lower()
        if primary in spoken:
            return primary
    return previous if previous in spoken else settings.LANGUAGE_CODE


class Command(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"
    STATUS = "status"
    NOT_MINE = "not_mine"


# The words of each command; each is translated, and all translations are understood.
_WORDS: dict[Command, list[str | Promise]] = {
    Command.STOP: [pgettext_lazy("tipline command", "stop"), "unsubscribe"],
    Command.START: [pgettext_lazy("tipline command", "start")],
    Command.HELP: [pgettext_lazy("tipline command", "help")],
    Command.STATUS: [pgettext_lazy("tipline command", "status")],
    Command.NOT_MINE: [pgettext_lazy("tipline command", "no")],
}


@cache
def _vocabulary() -> dict[str, Command]:
    words: dict[str, Command] = {}
    for language in ui_languages():
        with translation.override(language):
            for command, spellings in _WORDS.items():
                for word in spellings:
                    words[str(word).casefold()] = command
    for command in Command:
        words[command.value.casefold()] = command
    return words


@dataclass(frozen=True)
class Parsed:
    command: Command
    argument: str = ""


_COMMAND = re.compile(r"^\s*/?(\w+)(?:@\w+)?[\s.!:]*(.*?)\s*$", re.S)


def parse_command(text: str) -> Parsed | None:
    """A message that is only a command word (with a leading / as Telegram writes them, and
    the code after `status`); anything longer is a report."""
    if len(text) > 60:
        return None
    found = _COMMAND.match(text)
    if found is None:
        return None
    command = _vocabulary().get(found.group(1).casefold())
    argument = found.group(2)
    if command is None or (argument and command != Command.STATUS):
        return None
    return Parsed(command, argument)


def one_line(text: str, limit: int = 280) -> str:
    """A one-line summary of Markdown reasons: markup and links' targets dropped."""
    flat = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    flat = re.sub(r"[*_`#>]+", "", flat)
    flat = " ".join(flat.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def status_url() -> str:
    return f"{settings.PUBLIC_URL}/status/"


def received(report: Report, *, brief: bool = False) -> str:
    """The acknowledgement; `brief` for SMS, where every 160 characters (70 outside GSM-7's
    alphabet) is paid for."""
    words = {
        "code": report.display_code,
        "status": pgettext_lazy("tipline command", "status"),
        "url": status_url(),
        "stop": str(pgettext_lazy("tipline command", "stop")).upper(),
    }
    if brief:
        return (
            _(
                "Report received, tracking code %(code)s. For news, send %(status)s %(code)s. "
                "Send %(stop)s to stop messages."
            )
            % words
        )
    return (
        _(
            "Thank you. We received your report. Your tracking code is %(code)s. Reviewers from "
            'the coalition will look at it. Send "%(status)s %(code)s" at any time to see where '
            "it stands, or enter the code at %(url)s. We will tell you here when it is decided; "
            "send %(stop)s to stop these messages."
        )
        % words
    )


@dataclass(frozen=True)
class KnownAnswer:
    """A published decision or fact-check that answers a message at once."""

    kind: str  # "decision" or "factcheck"
    object_id: int
    score: float
    verdict: str
    summary: str
    url: str
    source: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.object_id, "score": round(self.score, 4)}


def answered(answer: KnownAnswer) -> str:
    if answer.kind == "decision":
        intro = _("The coalition has already reviewed this: %(verdict)s.") % {
            "verdict": answer.verdict
        }
    else:
        intro = _("This claim has already been checked by %(source)s: %(verdict)s.") % {
            "source": answer.source or _("a fact-checker"),
            "verdict": answer.verdict,
        }
    outro = _(
        "If this does not answer your question, reply %(no)s and the coalition will look at "
        "your message."
    ) % {"no": str(pgettext_lazy("tipline command", "no")).upper()}
    return "\n\n".join(part for part in (intro, answer.summary, answer.url, outro) if part)


def status_of(report: Report | None) -> str:
    if report is None:
        return _("No report has this tracking code. Please check it and try again.")
    text = _("Report %(code)s: %(status)s.") % {
        "code": report.display_code,
        "status": report.get_status_display(),
    }
    if report.public_outcome:
        text += " " + one_line(report.public_outcome)
    return text


def decided(report: Report, link: str) -> str:
    return _(
        "Your report %(code)s has been decided. %(reasons)s\n\nRead more: %(url)s\n\nSend "
        "%(stop)s to stop these messages."
    ) % {
        "code": report.display_code,
        "reasons": one_line(report.public_outcome),
        "url": link,
        "stop": str(pgettext_lazy("tipline command", "stop")).upper(),
    }


def stopped() -> str:
    return _(
        "You will receive no more messages from us about your reports. Send %(start)s to "
        "receive them again."
    ) % {"start": str(pgettext_lazy("tipline command", "start")).upper()}


def help_text() -> str:
    return _(
        "Send us a message, a link, a picture or a forwarded post about the election that "
        "worries you: false information, hate, threats, or anything that stops people from "
        "voting. We answer with a tracking code. Commands: %(status)s CODE, %(stop)s, "
        "%(start)s."
    ) % {
        "status": str(pgettext_lazy("tipline command", "status")).upper(),
        "stop": str(pgettext_lazy("tipline command", "stop")).upper(),
        "start": str(pgettext_lazy("tipline command", "start")).upper(),
    }


def nothing_to_reopen() -> str:
    return _("There is no recent answer of ours to reopen. Send us the message you want checked.")


def limited() -> str:
    return _(
        "You have sent us many messages in a short time. We keep them all, but will answer "
        "again later."
    )
