"""WhatsApp through Meta's Cloud API (Graph API), spoken in plain HTTP: POST
/<phone-number-id>/messages sends, the `messages` webhook brings what people write.

Free text may only be sent within 24 hours of the person's last message (the customer-service
window); after that only an approved template may go out, so a decision notice then uses the
template named by BARAZA_WHATSAPP_DECISION_TEMPLATE and anything else fails for good.
https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from baraza.channels.incoming import IncomingMessage, Media, urls_in
from baraza.channels.models import OutboundKind, Provider
from baraza.channels.providers import (
    ChatProvider,
    FetchFailed,
    Outgoing,
    ProviderFailed,
    SendFailed,
    TooLarge,
    call,
    download,
)
from baraza.channels.providers.telegram import split_text
from baraza.intake.models import Channel, Platform

# The Cloud API refuses longer text bodies.
MAX_CHARS = 4096
WINDOW = timedelta(hours=24)
# Graph API codes that mean "too fast, try later" although they come with HTTP 400: throttling
# (4, 80007, 130429) and the per-recipient pair rate (131056).
# https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
_THROTTLED = re.compile(r'"code"\s*:\s*"?(4|80007|130429|131056)\b|\(#(4|80007|130429|131056)\)')
_MEDIA_KINDS = ("image", "video", "audio", "document", "sticker")
T = TypeVar("T")


class WhatsApp(ChatProvider):
    name = Provider.WHATSAPP
    channel = Channel.WHATSAPP
    platform = Platform.WHATSAPP
    settings_needed = (
        "WHATSAPP_VERIFY_TOKEN",
        "WHATSAPP_APP_SECRET",
        "WHATSAPP_ACCESS_TOKEN",
        "WHATSAPP_PHONE_NUMBER_ID",
    )
    fetches_media = True

    def send(self, message: Outgoing) -> str:
        to = message.address.lstrip("+")
        if within_window(message.last_inbound_at):
            bodies = [_text(to, part) for part in split_text(message.text, MAX_CHARS)]
        else:
            bodies = [_template(to, message)]
        return ",".join(_post(body) for body in bodies)

    def fetch_media(self, media: dict[str, Any]) -> bytes:
        """Two steps, both with the access token: GET /<media-id> answers the file's URL (valid
        five minutes) and size; GET <url> answers the bytes. A file WhatsApp says is too large
        is not downloaded at all. (Its `sha256` is not checked: the download's own length
        already is, and the documentation does not say how the hash is written.)
        https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media
        """
        about = _media_url(str(media["reference"]))
        size = str(about.get("file_size", ""))  # a number, or a number in a string
        if size.isdigit() and int(size) > settings.CHANNEL_MEDIA_MAX_BYTES:
            raise TooLarge(int(size))
        return _throttled_is_transient(lambda: download(str(about["url"]), headers=_bearer()))


def _bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}


def _media_url(media_id: str) -> dict[str, Any]:
    url = f"{settings.WHATSAPP_API_BASE}/{quote(media_id, safe='')}"
    params = {"phone_number_id": settings.WHATSAPP_PHONE_NUMBER_ID or ""}
    response = _throttled_is_transient(
        lambda: call("GET", url, params=params, headers=_bearer(), failure=FetchFailed)
    )
    try:
        about = response.json()
        if not isinstance(about, dict) or not str(about["url"]).startswith(("https:", "http:")):
            raise ValueError("no URL to download from")
    except (ValueError, KeyError) as error:
        raise FetchFailed(f"unexpected answer: {response.text[:300]}", retry=False) from error
    return about


def within_window(last_inbound_at: datetime | None) -> bool:
    return last_inbound_at is not None and timezone.now() - last_inbound_at < WINDOW


def _envelope(to: str) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}


def _text(to: str, body: str) -> dict[str, Any]:
    return {**_envelope(to), "type": "text", "text": {"preview_url": False, "body": body}}


def _template(to: str, message: Outgoing) -> dict[str, Any]:
    template = settings.WHATSAPP_DECISION_TEMPLATE
    if not template or message.kind != OutboundKind.DECISION:
        raise SendFailed(
            "outside WhatsApp's 24-hour window and no approved template is configured",
            retry=False,
        )
    if not message.report_code:
        raise SendFailed("the decision template needs the report's tracking code", retry=False)
    return {
        **_envelope(to),
        "type": "template",
        "template": {
            "name": template,
            "language": {"code": settings.WHATSAPP_TEMPLATE_LANGUAGE},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": message.report_code}]}
            ],
        },
    }


def _throttled_is_transient(request: Callable[[], T]) -> T:
    """Graph API throttling comes with HTTP 400; it is worth another try all the same."""
    try:
        return request()
    except ProviderFailed as failure:
        if failure.retry or isinstance(failure, TooLarge) or not _THROTTLED.search(failure.reason):
            raise
        raise type(failure)(failure.reason, retry=True) from failure


def _post(body: dict[str, Any]) -> str:
    url = f"{settings.WHATSAPP_API_BASE}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
    response = _throttled_is_transient(lambda: call("POST", url, json=body, headers=_bearer()))
    try:
        return str(response.json()["messages"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError) as error:
        # Taken but unanswerable: sending again could deliver it twice.
        raise SendFailed(f"unexpected answer: {response.text[:300]}", retry=False) from error


# --- the webhook ----------------------------------------------------------------------------


def parse_webhook(payload: dict[str, Any]) -> list[IncomingMessage]:
    """The messages in one `messages` webhook worth a report: text, media, forwarded
    messages and button replies sent to our number. Statuses of what we sent, reactions,
    locations, contacts and unsupported messages read as nothing. Raises ValueError on a body
    Meta would never send.
    https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples"""
    if payload.get("object") != "whatsapp_business_account":
        return []
    found: list[IncomingMessage] = []
    for entry in _list(payload, "entry"):
        for item in _list(_dict(entry), "changes"):
            change = _dict(item)
            if change.get("field", "messages") == "messages":
                found.extend(_messages(_dict(change.get("value", {}))))
    return found


def _messages(value: dict[str, Any]) -> list[IncomingMessage]:
    ours = settings.WHATSAPP_PHONE_NUMBER_ID
    number = _dict(value.get("metadata", {})).get("phone_number_id")
    if ours and number and str(number) != str(ours):
        return []  # another of the business's numbers, answered by another app
    parsed = (_message(_dict(item)) for item in _list(value, "messages"))
    return [message for message in parsed if message is not None]


def _message(item: dict[str, Any]) -> IncomingMessage | None:
    message_id, sender = item.get("id"), item.get("from")
    if not isinstance(message_id, str) or not message_id:
        raise ValueError("a message without an id")
    if not isinstance(sender, str) or not sender.isdigit():
        raise ValueError("a message without a sender's number")
    text = _words(item)
    media = _media(item)
    if not text.strip() and not media:
        return None
    context = _dict(item.get("context") or {})
    return IncomingMessage(
        provider=Provider.WHATSAPP,
        message_id=message_id,
        address=f"+{sender}",
        text=text,
        urls=tuple(urls_in(text)),
        media=tuple(media),
        forwarded=bool(context.get("forwarded") or context.get("frequently_forwarded")),
        sent_at=_timestamp(item.get("timestamp")),
    )


def _words(item: dict[str, Any]) -> str:
    """The text a person wrote, or the caption of their media, or the title of the button
    they pressed."""
    kind = item.get("type")
    if kind == "text":
        return _string(_dict(item.get("text") or {}).get("body"))
    if kind in _MEDIA_KINDS:
        return _string(_dict(item.get(kind) or {}).get("caption"))
    if kind == "interactive":
        interactive = _dict(item.get("interactive") or {})
        reply = _dict(interactive.get(str(interactive.get("type"))) or {})
        return _string(reply.get("title"))
    if kind == "button":
        return _string(_dict(item.get("button") or {}).get("text"))
    return ""


def _media(item: dict[str, Any]) -> list[Media]:
    kind = item.get("type")
    if kind not in _MEDIA_KINDS:
        return []
    media = _dict(item.get(kind) or {})
    reference = _string(media.get("id"))
    if not reference:
        return []
    if kind == "audio" and media.get("voice") is True:
        kind = "voice"
    return [
        Media(
            str(kind),
            reference,
            _string(media.get("mime_type")),
            name=_string(media.get("filename")),
        )
    ]


def _timestamp(value: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value)), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _dict(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected an object, got {type(value).__name__}")
    return value


def _list(container: dict[str, Any], key: str) -> list[Any]:
    value = container.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{key} should be a list")
    return value


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""
