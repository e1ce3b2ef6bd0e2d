"""WhatsApp's Cloud API as Meta documents it, on loopback: POST
/<version>/<phone-number-id>/messages with a bearer token, answering
{"messaging_product": "whatsapp", "contacts": [...], "messages": [{"id": "wamid..."}]} or a
Graph API error; media in two steps, both with the bearer token (GET /<version>/<media-id>
answers the file's URL, size and SHA-256; GET on that URL, here on the fake itself as
lookaside.fbsbx.com's /whatsapp_business/attachments/, answers the bytes); and webhook bodies
shaped like Meta's payload examples, signed as Meta signs them (X-Hub-Signature-256).

https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media
https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from baraza.channels.tests.upstream import Answer, FakeUpstream, Recorded, running

API_VERSION = "v21.0"
WABA_ID = "102290129340398"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_PHONE_NUMBER = "15550783881"
ACCESS_TOKEN = "EAAJtest-access-token"
APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
WA_ID = "254712345678"  # a Kenyan number, as WhatsApp writes it: digits, no "+"

_MESSAGES = re.compile(r"/v\d+\.\d+/(?P<number>[^/]+)/messages")
_MEDIA = re.compile(r"/v\d+\.\d+/(?P<media_id>[^/]+)")
ATTACHMENTS = "/whatsapp_business/attachments/"
_timestamps = itertools.count(int(time.time()))


def graph_error(message: str, kind: str, code: int, **extra: Any) -> dict[str, Any]:
    """A Graph API error body, as the error-codes page shows it."""
    return {
        "error": {
            "message": message,
            "type": kind,
            "code": code,
            **extra,
            "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam",
        }
    }


def wamid() -> str:
    return f"wamid.HBgM{uuid.uuid4().hex.upper()}FQIAERgS"


@dataclass(frozen=True)
class StoredMedia:
    content: bytes
    mime_type: str
    file_size: int  # what the API says, which a test may make differ from the content
    streamed: bool  # served without a Content-Length


_BAD_TOKEN = Answer(
    401,
    graph_error("Invalid OAuth access token - Cannot parse access token", "OAuthException", 190),
)


class FakeGraphAPI(FakeUpstream):
    def __init__(self) -> None:
        super().__init__()
        self.issued: list[str] = []  # the message ids the API answered with, in order
        self.media: dict[str, StoredMedia] = {}  # by media id

    def add_media(
        self,
        media_id: str,
        content: bytes,
        mime_type: str = "image/jpeg",
        *,
        file_size: int | None = None,
        streamed: bool = False,
    ) -> None:
        """A media file people sent, for the two steps of a download to find."""
        size = len(content) if file_size is None else file_size
        self.media[media_id] = StoredMedia(content, mime_type, size, streamed)

    def answer(self, request: Recorded) -> Answer:
        if request.headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
            return _BAD_TOKEN
        if request.method == "GET" and request.path == ATTACHMENTS:
            return self._attachment(request.query.get("mid", [""])[0])
        if request.method == "GET" and (found := _MEDIA.fullmatch(request.path)):
            return self._media_url(found.group("media_id"), request)
        found = _MESSAGES.fullmatch(request.path)
        if request.method != "POST" or found is None:
            return Answer(400, graph_error("Unknown path components", "OAuthException", 2500))
        if found.group("number") != PHONE_NUMBER_ID:
            return Answer(
                400,
                graph_error(
                    f"Unsupported post request. Object with ID '{found.group('number')}' "
                    "does not exist, cannot be loaded due to missing permissions, or does not "
                    "support this operation.",
                    "GraphMethodException",
                    100,
                ),
            )
        try:
            body = request.json()
            _check(body)
        except (ValueError, KeyError, TypeError) as error:
            return Answer(
                400, graph_error(f"(#100) Invalid parameter: {error}", "OAuthException", 100)
            )
        sent: dict[str, Any] = {"id": wamid()}
        self.issued.append(sent["id"])
        if body["type"] == "template":
            sent["message_status"] = "accepted"
        return Answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [sent],
            },
        )

    def _media_url(self, media_id: str, request: Recorded) -> Answer:
        stored = self.media.get(media_id)
        number = request.query.get("phone_number_id", [PHONE_NUMBER_ID])[0]
        if stored is None or number != PHONE_NUMBER_ID:
            return Answer(
                400,
                graph_error(
                    f"Unsupported get request. Object with ID '{media_id}' does not exist, "
                    "cannot be loaded due to missing permissions, or does not support this "
                    "operation.",
                    "GraphMethodException",
                    100,
                ),
            )
        query = f"mid={media_id}&ext={int(time.time())}&hash=ATuV{uuid.uuid4().hex[:20]}"
        return Answer(
            200,
            {
                "messaging_product": "whatsapp",
                "url": f"{self.base_url}{ATTACHMENTS}?{query}",
                "mime_type": stored.mime_type,
                "sha256": hashlib.sha256(stored.content).hexdigest(),
                "file_size": stored.file_size,
                "id": media_id,
            },
        )

    def _attachment(self, media_id: str) -> Answer:
        stored = self.media.get(media_id)
        if stored is None:
            return Answer(404, b"Not Found", {"Content-Type": "text/plain"})
        headers = {"Content-Type": stored.mime_type}
        return Answer(200, stored.content, headers, streamed=stored.streamed)

    def media_requests(self, media_id: str) -> list[Recorded]:
        """The requests for one media file: its URL (step one), then its bytes (step two)."""
        return [
            request
            for request in list(self.requests)
            if request.path.endswith(f"/{media_id}")
            or request.query.get("mid", [""])[0] == media_id
        ]

    def sent(self) -> list[dict[str, Any]]:
        """The bodies the API took (and refused) on the messages endpoint, in order."""
        return [r.json() for r in self.sent_to(r"/messages$")]

    def texts_to(self, wa_id: str = WA_ID) -> list[str]:
        return [
            body["text"]["body"]
            for body in self.sent()
            if body.get("to") == wa_id and body.get("type") == "text"
        ]

    def templates_to(self, wa_id: str = WA_ID) -> list[dict[str, Any]]:
        return [
            body["template"]
            for body in self.sent()
            if body.get("to") == wa_id and body.get("type") == "template"
        ]


def _check(body: Any) -> None:
    """What the Cloud API refuses with (#100) Invalid parameter."""
    if body.get("messaging_product") != "whatsapp":
        raise ValueError("messaging_product must be whatsapp")
    if not str(body.get("to", "")).isdigit():
        raise ValueError("to must be a phone number")
    if body.get("type") == "text":
        if not 1 <= len(body["text"]["body"]) <= 4096:
            raise ValueError("text.body must be 1 to 4096 characters")
    elif body.get("type") == "template":
        if not body["template"]["name"] or not body["template"]["language"]["code"]:
            raise ValueError("a template needs a name and a language")
    else:
        raise ValueError(f"unsupported type {body.get('type')!r}")


@pytest.fixture
def fake_graph(settings: Any) -> Iterator[FakeGraphAPI]:
    """The fake Cloud API, and every WhatsApp setting pointing at it."""
    fake = FakeGraphAPI()
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_ACCESS_TOKEN = ACCESS_TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.WHATSAPP_API_BASE = f"{fake.base_url}/{API_VERSION}"
    settings.WHATSAPP_DECISION_TEMPLATE = None
    settings.WHATSAPP_TEMPLATE_LANGUAGE = "en"
    yield from running(fake)


# --- webhook bodies, shaped like the payload examples ------------------------------------


def webhook(
    *messages: dict[str, Any], wa_id: str = WA_ID, name: str = "Wanjiru Kamau"
) -> dict[str, Any]:
    """A `messages` webhook carrying the messages of one person."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": DISPLAY_PHONE_NUMBER,
            "phone_number_id": PHONE_NUMBER_ID,
        },
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": list(messages),
    }
    return _envelope(value)


def _envelope(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}],
    }


def _message(kind: str, wa_id: str, message_id: str | None, **content: Any) -> dict[str, Any]:
    return {
        "from": wa_id,
        "id": message_id or wamid(),
        "timestamp": str(next(_timestamps)),
        "type": kind,
        **content,
    }


def text(
    body: str,
    *,
    wa_id: str = WA_ID,
    message_id: str | None = None,
    forwarded: bool = False,
    frequently_forwarded: bool = False,
) -> dict[str, Any]:
    message = _message("text", wa_id, message_id, text={"body": body})
    if forwarded or frequently_forwarded:
        # Meta sends frequently_forwarded instead of forwarded past five forwards.
        key = "frequently_forwarded" if frequently_forwarded else "forwarded"
        message["context"] = {key: True}
    return message


def image(
    media_id: str, caption: str = "", *, wa_id: str = WA_ID, mime_type: str = "image/jpeg"
) -> dict[str, Any]:
    content: dict[str, Any] = {
        "mime_type": mime_type,
        "sha256": hashlib.sha256(media_id.encode()).hexdigest(),
        "id": media_id,
    }
    if caption:
        content["caption"] = caption
    return _message("image", wa_id, None, image=content)


def audio(media_id: str, *, voice: bool, wa_id: str = WA_ID) -> dict[str, Any]:
    content = {
        "mime_type": "audio/ogg; codecs=opus",
        "sha256": hashlib.sha256(media_id.encode()).hexdigest(),
        "id": media_id,
        "voice": voice,
    }
    return _message("audio", wa_id, None, audio=content)


def document(
    media_id: str, filename: str, caption: str = "", *, wa_id: str = WA_ID
) -> dict[str, Any]:
    content = {
        "caption": caption,
        "filename": filename,
        "mime_type": "application/pdf",
        "sha256": hashlib.sha256(media_id.encode()).hexdigest(),
        "id": media_id,
    }
    return _message("document", wa_id, None, document=content)


def button_reply(button_id: str, title: str, *, wa_id: str = WA_ID) -> dict[str, Any]:
    """A press on a reply button of an interactive message we sent."""
    return _message(
        "interactive",
        wa_id,
        None,
        context={"from": DISPLAY_PHONE_NUMBER, "id": wamid()},
        interactive={"type": "button_reply", "button_reply": {"id": button_id, "title": title}},
    )


def location(*, wa_id: str = WA_ID) -> dict[str, Any]:
    return _message(
        "location",
        wa_id,
        None,
        location={
            "latitude": -1.2921,
            "longitude": 36.8219,
            "name": "Kenyatta International Convention Centre",
            "address": "Harambee Ave, Nairobi",
        },
    )


def reaction(emoji: str = "\N{THUMBS UP SIGN}", *, wa_id: str = WA_ID) -> dict[str, Any]:
    return _message("reaction", wa_id, None, reaction={"message_id": wamid(), "emoji": emoji})


def unsupported(*, wa_id: str = WA_ID) -> dict[str, Any]:
    """What Meta sends for a message the Cloud API cannot carry (a poll, a view-once)."""
    return _message(
        "unsupported",
        wa_id,
        None,
        errors=[
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }
        ],
    )


def statuses(*states: str, wa_id: str = WA_ID) -> dict[str, Any]:
    """Status callbacks about a message we sent (sent, delivered, read, failed)."""
    items = []
    for state in states:
        item: dict[str, Any] = {
            "id": wamid(),
            "status": state,
            "timestamp": str(next(_timestamps)),
            "recipient_id": wa_id,
        }
        if state == "failed":
            item["errors"] = [
                {
                    "code": 131047,
                    "title": "Re-engagement message",
                    "message": "Re-engagement message",
                    "error_data": {
                        "details": "Message failed to send because more than 24 hours have "
                        "passed since the customer last replied to this number."
                    },
                }
            ]
        else:
            item["conversation"] = {
                "id": uuid.uuid4().hex,
                "origin": {"type": "service"},
            }
            item["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
        items.append(item)
    return _envelope(
        {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": DISPLAY_PHONE_NUMBER,
                "phone_number_id": PHONE_NUMBER_ID,
            },
            "statuses": items,
        }
    )


# --- talking to our webhook ------------------------------------------------------------------


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(
    client: Any,
    payload: dict[str, Any] | bytes,
    *,
    secret: str = APP_SECRET,
    signed: str | None = None,
) -> Any:
    """POST a webhook as Meta does: the body signed with `secret`, or carrying the
    `signed` header as given (an empty string sends none)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    header = signature(body, secret) if signed is None else signed
    extra = {"HTTP_X_HUB_SIGNATURE_256": header} if header else {}
    return client.post(
        "/channels/whatsapp/webhook", data=body, content_type="application/json", **extra
    )


def handshake(client: Any, token: str = VERIFY_TOKEN, challenge: str = "1158201444") -> Any:
    """The GET Meta sends when the callback URL is set in the app dashboard."""
    return client.get(
        "/channels/whatsapp/webhook",
        {"hub.mode": "subscribe", "hub.challenge": challenge, "hub.verify_token": token},
    )
