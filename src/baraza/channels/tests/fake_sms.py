"""Africa's Talking's and Twilio's SMS APIs on loopback, the callbacks they send us, and pytest
fixtures that point the settings at the fakes.

Africa's Talking (https://docs.africastalking.com/sms/sending): POST /version1/messaging,
form-encoded, authenticated by an `apiKey` header and the `username` field, answering 201 with
one status per recipient, or 401 in plain text for a wrong key.

Twilio (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP basic auth, answering 201 with the
Message resource, or an error object (401 code 20003 for wrong credentials, 400 21211 for a
number that is not one). An MMS's media (https://www.twilio.com/docs/messaging/api/media-resource)
are at the MediaUrl the webhook gives, /2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/
Media/{MediaSid}, which answers with basic auth a redirect to the file in Twilio's storage.

Signing inbound Twilio webhooks is written out again here from Twilio's recipe rather than
imported from the code under test, so a mistake in one is not repeated in the other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings

from baraza.channels.providers.sms import segments
from baraza.channels.tests.upstream import Answer, FakeUpstream, Recorded

AT_USERNAME = "baraza"
AT_API_KEY = "atsk_test-api-key"
AT_SECRET = "at-callback-secret-for-tests"
AT_SHORTCODE = "21525"
AT_SENDER_ID = "BARAZA"

TWILIO_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
TWILIO_AUTH_TOKEN = "twilio-auth-token-for-tests"
TWILIO_FROM_NUMBER = "+15005550006"
PUBLIC_URL = "https://baraza.example.org"
TWILIO_PATH = "/channels/sms/twilio"

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _hex() -> str:
    return uuid.uuid4().hex


class FakeAfricasTalking(FakeUpstream):
    def __init__(self) -> None:
        super().__init__()
        self.delivered: list[dict[str, str]] = []  # the forms of the messages it took
        self.message_ids: list[str] = []  # the messageId it answered each with

    def answer(self, request: Recorded) -> Answer:
        if request.path != "/version1/messaging" or request.method != "POST":
            return Answer(404, b"Not Found", {"Content-Type": "text/plain"})
        form = request.form()
        if request.headers.get("apikey") != AT_API_KEY or form.get("username") != AT_USERNAME:
            return Answer(
                401, b"The supplied authentication is invalid", {"Content-Type": "text/plain"}
            )
        number = form.get("to", "")
        if not E164.match(number):
            return Answer(201, at_answer(number, 403, "InvalidPhoneNumber"))
        self.delivered.append(form)
        self.message_ids.append(f"ATXid_{_hex()}")
        return Answer(201, at_answer(number, 101, "Success", self.message_ids[-1]))

    def texts_to(self, number: str) -> list[str]:
        return [form["message"] for form in self.delivered if form["to"] == number]


def at_answer(number: str, code: int, status: str, message_id: str = "None") -> dict[str, Any]:
    """A send's answer for one recipient, as the API documents it."""
    sent = 1 if code in (100, 101, 102) else 0
    cost = "KES 0.8000" if sent else "0"
    return {
        "SMSMessageData": {
            "Message": f"Sent to {sent}/1 Total Cost: {cost}",
            "Recipients": [
                {
                    "statusCode": code,
                    "number": number,
                    "status": status,
                    "cost": cost,
                    "messageId": message_id,
                }
            ],
        }
    }


_at_ids = itertools.count(1)


def at_incoming(
    text: str,
    *,
    sender: str = "+254711000001",
    message_id: str | None = None,
    date: str = "2024-08-09 07:48:32",
) -> dict[str, str]:
    """An incoming message as Africa's Talking POSTs it to the callback URL
    (https://developers.africastalking.com/docs/sms/notifications)."""
    return {
        "linkId": f"SampleLinkId{next(_at_ids)}",
        "text": text,
        "to": AT_SHORTCODE,
        "id": message_id or str(uuid.uuid4()),
        "date": date,
        "from": sender,
        "networkCode": "63902",
    }


def post_at(client: Any, form: Mapping[str, str], secret: str = AT_SECRET, **extra: Any) -> Any:
    return client.post(
        f"/channels/sms/africastalking/{secret}/",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
        **extra,
    )


class FakeTwilio(FakeUpstream):
    def __init__(self) -> None:
        super().__init__()
        self.delivered: list[dict[str, str]] = []  # the forms of the messages it took
        self.messages: list[dict[str, Any]] = []  # the Message resources it answered
        self.media: dict[str, tuple[bytes, str, bool]] = {}  # by MediaSid: bytes, type, streamed

    def add_media(
        self, content: bytes, content_type: str = "image/jpeg", *, streamed: bool = False
    ) -> str:
        """A file sent by MMS; returns its MediaUrl, as the webhook gives it."""
        media_sid = f"ME{_hex()}"
        self.media[media_sid] = (content, content_type, streamed)
        return f"{self.base_url}{media_path(f'MM{_hex()}', media_sid)}"

    def answer(self, request: Recorded) -> Answer:
        if request.method == "GET":
            return self._media(request)
        match = re.fullmatch(r"/2010-04-01/Accounts/([^/]+)/Messages\.json", request.path)
        if match is None or request.method != "POST":
            return twilio_error(404, 20404, "The requested resource was not found")
        expected = base64.b64encode(f"{TWILIO_ACCOUNT_SID}:{TWILIO_AUTH_TOKEN}".encode())
        given = request.headers.get("authorization", "")
        if given != f"Basic {expected.decode()}" or match.group(1) != TWILIO_ACCOUNT_SID:
            return twilio_error(401, 20003, "Authenticate")
        form = request.form()
        to, body = form.get("To", ""), form.get("Body", "")
        if not E164.match(to):
            return twilio_error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if not body:
            return twilio_error(400, 21602, "Message body is required.")
        if len(body) > 1600:
            return twilio_error(
                400, 21617, "The concatenated message body exceeds the 1600 character limit."
            )
        self.delivered.append(form)
        self.messages.append(twilio_message(form))
        return Answer(201, self.messages[-1])

    def texts_to(self, number: str) -> list[str]:
        return [form["Body"] for form in self.delivered if form["To"] == number]

    def _media(self, request: Recorded) -> Answer:
        """The MediaUrl redirects (with the credentials) to the file in storage, which any
        holder of its address may read."""
        stored = re.fullmatch(r"/storage/(ME[0-9a-f]+)", request.path)
        if stored and stored.group(1) in self.media:
            content, content_type, streamed = self.media[stored.group(1)]
            return Answer(200, content, {"Content-Type": content_type}, streamed=streamed)
        match = re.fullmatch(media_path(r"MM[0-9a-f]+", r"(ME[0-9a-f]+)"), request.path)
        if match is None or match.group(1) not in self.media:
            return twilio_error(404, 20404, "The requested resource was not found")
        if request.headers.get("authorization") != basic_auth():
            return twilio_error(401, 20003, "Authenticate")
        return Answer(307, b"", {"Location": f"{self.base_url}/storage/{match.group(1)}"})


def basic_auth() -> str:
    return (
        "Basic " + base64.b64encode(f"{TWILIO_ACCOUNT_SID}:{TWILIO_AUTH_TOKEN}".encode()).decode()
    )


def media_path(message_sid: str, media_sid: str) -> str:
    return f"/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages/{message_sid}/Media/{media_sid}"


def twilio_error(status: int, code: int, message: str) -> Answer:
    return Answer(
        status,
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
    )


def twilio_message(form: Mapping[str, str]) -> dict[str, Any]:
    """The Message resource Twilio answers a create with."""
    sid = f"SM{_hex()}"
    now = format_datetime(datetime.now(UTC), usegmt=True)
    return {
        "account_sid": TWILIO_ACCOUNT_SID,
        "api_version": "2010-04-01",
        "body": form["Body"],
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": form.get("From"),
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": str(segments(form["Body"])),
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": "queued",
        "subresource_uris": {
            "media": f"/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages/{sid}/Media.json"
        },
        "to": form["To"],
        "uri": f"/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages/{sid}.json",
    }


def twilio_incoming(
    body: str,
    *,
    sender: str = "+2348031000001",
    message_sid: str | None = None,
    media: Sequence[tuple[str, str]] = (),
) -> dict[str, str]:
    """An incoming SMS (or MMS, with media as (content type, URL)) as Twilio POSTs it to the
    webhook (https://www.twilio.com/docs/messaging/guides/webhook-request)."""
    sid = message_sid or f"{'MM' if media else 'SM'}{_hex()}"
    form = {
        "ToCountry": "US",
        "ToState": "CA",
        "SmsMessageSid": sid,
        "NumMedia": str(len(media)),
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "NG" if sender.startswith("+234") else "KE",
        "To": TWILIO_FROM_NUMBER,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": TWILIO_ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }
    for n, (content_type, url) in enumerate(media):
        form[f"MediaContentType{n}"] = content_type
        form[f"MediaUrl{n}"] = url
    return form


def twilio_signature(token: str, url: str, form: Mapping[str, str]) -> str:
    """https://www.twilio.com/docs/usage/security#validating-requests: the URL, then each
    parameter's name and value sorted by name, HMAC-SHA1 with the auth token, base64."""
    data = url + "".join(f"{name}{form[name]}" for name in sorted(form))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def post_twilio(
    client: Any,
    form: Mapping[str, str],
    *,
    token: str = TWILIO_AUTH_TOKEN,
    signature: str | None = None,
    path: str = TWILIO_PATH,
) -> Any:
    """POST a webhook signed as Twilio signs it (with `token`, over PUBLIC_URL and the path),
    or with the `signature` given ("" for none at all)."""
    if signature is None:
        signature = twilio_signature(token, django_settings.PUBLIC_URL + path, form)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(
        path,
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
        **headers,
    )


@pytest.fixture
def fake_africastalking(settings: Any) -> Iterator[FakeAfricasTalking]:
    fake = FakeAfricasTalking()
    settings.AFRICASTALKING_API_BASE = fake.base_url
    settings.AFRICASTALKING_USERNAME = AT_USERNAME
    settings.AFRICASTALKING_API_KEY = AT_API_KEY
    settings.AFRICASTALKING_CALLBACK_SECRET = AT_SECRET
    settings.AFRICASTALKING_SENDER_ID = AT_SENDER_ID
    settings.AFRICASTALKING_ALLOWED_ADDRESSES = []
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_twilio(settings: Any) -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    settings.TWILIO_API_BASE = fake.base_url
    settings.TWILIO_ACCOUNT_SID = TWILIO_ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = TWILIO_AUTH_TOKEN
    settings.TWILIO_FROM_NUMBER = TWILIO_FROM_NUMBER
    settings.PUBLIC_URL = PUBLIC_URL
    fake.start()
    yield fake
    fake.stop()
