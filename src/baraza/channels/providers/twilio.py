"""SMS through Twilio: its Messages API sends, its incoming-message webhook receives
(webhooks/sms.py), signed with X-Twilio-Signature.

Plain HTTP through `call`, and the signature check written out here in a few lines: the
`twilio` SDK would pull aiohttp and more into the deployment for one function. The recipe is
Twilio's (https://www.twilio.com/docs/usage/security#validating-requests): base64 of the
HMAC-SHA1, keyed with the auth token, of the URL Twilio was given followed by every POST
parameter's name and value, sorted by name. A 2xx answer we cannot read is a final failure:
the message may have gone, and a retry could send it twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from baraza.channels.incoming import IncomingMessage, Media, media_kind, urls_in
from baraza.channels.models import Provider
from baraza.channels.providers import (
    ChatProvider,
    FetchFailed,
    Outgoing,
    SendFailed,
    call,
    download,
)
from baraza.channels.providers.sms import shorten
from baraza.intake.models import Channel, Platform


def signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """Twilio's signature of a request. A name sent twice signs both values, sorted, as
    Twilio's own libraries do."""
    signed = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_by_twilio(
    given: str | None, auth_token: str, url: str, params: Iterable[tuple[str, str]]
) -> bool:
    expected = signature(auth_token, url, params)
    return bool(given) and hmac.compare_digest((given or "").encode(), expected.encode())


class Twilio(ChatProvider):
    name = Provider.TWILIO
    channel = Channel.SMS
    platform = Platform.OTHER
    settings_needed = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")
    fetches_media = True

    def send(self, message: Outgoing) -> str:
        account = settings.TWILIO_ACCOUNT_SID or ""
        response = call(
            "POST",
            f"{settings.TWILIO_API_BASE}/2010-04-01/Accounts/{account}/Messages.json",
            auth=(account, settings.TWILIO_AUTH_TOKEN or ""),
            data={
                "To": message.address,
                "From": settings.TWILIO_FROM_NUMBER or "",
                "Body": shorten(message.text, keep=message.report_code),
            },
        )
        try:
            sid = response.json().get("sid")
        except (ValueError, AttributeError) as error:
            raise SendFailed(
                f"the answer is not JSON: {response.text[:300]}", retry=False
            ) from error
        if not sid:
            raise SendFailed(f"the answer has no sid: {response.text[:300]}", retry=False)
        return str(sid)

    def fetch_media(self, media: dict[str, Any]) -> bytes:
        """GET the MediaUrl with the account's credentials (HTTP basic auth). Twilio answers
        with a redirect to its storage, followed without the credentials (httpx drops them on
        another host). Only a URL on Twilio's API is fetched: the token goes nowhere else.
        https://www.twilio.com/docs/messaging/api/media-resource#fetch-media-file"""
        url = str(media["reference"])
        if not _on_twilio(url):
            raise FetchFailed("the media URL is not on Twilio's API", retry=False)
        account = settings.TWILIO_ACCOUNT_SID or ""
        return download(
            url, auth=(account, settings.TWILIO_AUTH_TOKEN or ""), follow_redirects=True
        )


def _on_twilio(url: str) -> bool:
    given, api = urlsplit(url), urlsplit(settings.TWILIO_API_BASE)
    return (given.scheme, given.netloc) == (api.scheme, api.netloc)


def _media(form: dict[str, str]) -> list[Media]:
    try:
        count = int(form.get("NumMedia") or 0)
    except ValueError as error:
        raise ValueError(f"NumMedia is not a number: {form.get('NumMedia')!r}") from error
    found = []
    for n in range(max(0, min(count, 10))):  # Twilio carries at most 10 media per message
        url = form.get(f"MediaUrl{n}", "")
        if url:
            content_type = form.get(f"MediaContentType{n}", "")
            found.append(Media(media_kind(content_type), url, content_type))
    return found


def parse_webhook(form: dict[str, str]) -> list[IncomingMessage]:
    """The message in an incoming-message webhook
    (https://www.twilio.com/docs/messaging/guides/webhook-request). Status callbacks
    (delivered, failed...) and messages from other channels Twilio bridges (`whatsapp:+...`,
    which our SMS number cannot answer) make nothing; neither does a message with no words and
    no media. ValueError for a body Twilio would not send."""
    message_id = form.get("MessageSid", "").strip()
    sender = form.get("From", "").strip()
    if not message_id or not sender:
        raise ValueError("an incoming message has a MessageSid and a From")
    status = form.get("SmsStatus") or form.get("MessageStatus") or "received"
    if status != "received" or ":" in sender:
        return []
    text = form.get("Body", "")
    media = _media(form)
    if not text.strip() and not media:
        return []
    return [
        IncomingMessage(
            provider=Provider.TWILIO,
            message_id=message_id,
            address=sender,
            text=text,
            urls=tuple(urls_in(text)),
            media=tuple(media),
        )
    ]
