"""What every provider's webhook or mailbox turns a message into, before anything is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from baraza.channels.models import Provider

# Media kept per message; more are listed as not kept.
MAX_MEDIA = 20
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`\[\]]+", re.IGNORECASE)


def urls_in(text: str) -> list[str]:
    """The web addresses written in a text (www.… ones too), without the punctuation that
    ends a sentence."""
    found = []
    for url in _URL.findall(text):
        url = url.rstrip(".,;:!?")
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]  # "(see https://example.org)"
        found.append(url)
    return list(dict.fromkeys(found))


def media_kind(content_type: str) -> str:
    """What a MIME type is to a reviewer: image, video, audio, or else a document."""
    family = content_type.split("/", 1)[0].lower()
    return family if family in ("image", "video", "audio") else "document"


@dataclass(frozen=True)
class Media:
    """A picture, video, voice note or document in a message, by the provider's reference (a
    Telegram file_id, a WhatsApp media id, a Twilio MediaUrl, an e-mail attachment's SHA-256).
    The worker fetches the bytes and keeps them encrypted (`keep_media`); an e-mail brings its
    bytes along (`content`), kept when the message is stored and never listed."""

    kind: str  # image, video, audio, voice, document, sticker
    reference: str
    mime_type: str = ""
    size: int | None = None
    name: str = ""
    content: bytes | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "reference": self.reference,
            "mime_type": self.mime_type,
            "size": self.size,
            "name": self.name,
        }


@dataclass(frozen=True)
class IncomingMessage:
    provider: Provider
    message_id: str  # the provider's id: a retried webhook carries the same one
    address: str  # where replies go: a chat id, a phone number in E.164, an e-mail address
    text: str = ""
    urls: tuple[str, ...] = ()
    media: tuple[Media, ...] = ()
    forwarded: bool = False
    language_hint: str = ""  # what the platform says the person uses (Telegram language_code)
    sent_at: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)  # e.g. an e-mail's subject
