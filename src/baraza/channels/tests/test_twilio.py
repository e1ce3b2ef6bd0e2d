"""Twilio through its real protocol: the signed incoming-message webhook
(https://www.twilio.com/docs/messaging/guides/webhook-request,
https://www.twilio.com/docs/usage/security#validating-requests) and the Messages API we send
replies through (https://www.twilio.com/docs/messaging/api/message-resource), against a fake on
loopback."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.utils import timezone

from baraza.channels.actions import message_key
from baraza.channels.models import InboundMessage, OutboundMessage, OutboundStatus
from baraza.channels.providers import Outgoing, SendFailed
from baraza.channels.providers.sms import segments
from baraza.channels.providers.twilio import Twilio, signature
from baraza.channels.tasks import send_due
from baraza.channels.tests import fake_sms
from baraza.channels.tests.fake_sms import (
    PUBLIC_URL,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
    TWILIO_FROM_NUMBER,
    TWILIO_PATH,
    FakeTwilio,
    post_twilio,
    twilio_incoming,
    twilio_signature,
)
from baraza.channels.tests.journeys import messages_of
from baraza.intake import crypto

fake_twilio = fake_sms.fake_twilio  # the fixture, for this module's tests

PATH = rf"^/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages\.json$"
RUMOUR = "Polling stations in Kano will close at 2pm on election day, not 5pm. Tell everyone."
AMHARIC = "ሪፖርትዎን ተቀብለናል። ገምጋሚዎች ይመለከቱታል። የመከታተያ ኮድዎ NG-4H2P ነው። "
EMPTY_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response/>'


def outgoing(text: str = "Thank you. Your tracking code is NG-4H2P.", **fields: Any) -> Outgoing:
    values: dict[str, Any] = {
        "address": "+2348031000001",
        "text": text,
        "kind": "received",
        "language": "en",
        "last_inbound_at": None,
        "report_code": "NG-4H2P",
        **fields,
    }
    return Outgoing(**values)


# --- The signature ----------------------------------------------------------------------------


def test_the_signature_is_the_one_in_twilios_worked_example() -> None:
    # Twilio's own example (the auth token 12345, and the X-Twilio-Signature it gives), from
    # https://www.twilio.com/docs/usage/security#validating-requests (TwilioDevEd/api-snippets,
    # security/signature_validation).
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }

    given = signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params.items())

    assert given == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


# --- The webhook ------------------------------------------------------------------------------


def test_a_signed_sms_is_stored_and_answered_with_empty_twiml(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    form = twilio_incoming(RUMOUR, sender="+2348031000002")

    response = post_twilio(client, form)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert response.content == EMPTY_TWIML  # Twilio sends nothing itself
    [message] = messages_of("twilio")
    assert message.provider_message_id == message_key("twilio", form["MessageSid"])
    assert message.text == RUMOUR
    assert crypto.decrypt(message.sender.address_encrypted) == "+2348031000002"
    assert fake_twilio.requests == []  # no reply in the web request


def test_it_refuses_a_signature_made_with_another_token(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    response = post_twilio(client, twilio_incoming(RUMOUR), token="not-our-auth-token")

    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_it_refuses_a_request_without_a_signature(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    assert post_twilio(client, twilio_incoming(RUMOUR), signature="").status_code == 403


def test_it_refuses_a_parameter_altered_after_signing(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    signed = twilio_incoming(RUMOUR)
    given = twilio_signature(TWILIO_AUTH_TOKEN, PUBLIC_URL + TWILIO_PATH, signed)
    altered = {**signed, "Body": "The election is postponed to next week."}

    response = post_twilio(client, altered, signature=given)

    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_it_refuses_a_parameter_added_after_signing(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    signed = twilio_incoming(RUMOUR)
    given = twilio_signature(TWILIO_AUTH_TOKEN, PUBLIC_URL + TWILIO_PATH, signed)

    response = post_twilio(client, {**signed, "NumMedia": "1"}, signature=given)

    assert response.status_code == 403


def test_the_signed_url_is_the_public_one_not_the_host_the_request_reached(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    form = twilio_incoming(RUMOUR)
    as_seen_here = twilio_signature(TWILIO_AUTH_TOKEN, "http://testserver" + TWILIO_PATH, form)

    assert post_twilio(client, form, signature=as_seen_here).status_code == 403
    assert post_twilio(client, form).status_code == 200


def test_the_signature_covers_a_query_string_in_the_webhook_url(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    form = twilio_incoming(RUMOUR)
    path = TWILIO_PATH + "?campaign=kano"
    without_query = twilio_signature(TWILIO_AUTH_TOKEN, PUBLIC_URL + TWILIO_PATH, form)

    assert post_twilio(client, form, path=path).status_code == 200
    assert post_twilio(client, form, path=path, signature=without_query).status_code == 403


def test_an_unconfigured_channel_answers_404(
    fake_twilio: FakeTwilio, client: Any, settings: Any, db: None
) -> None:
    settings.TWILIO_AUTH_TOKEN = None

    assert post_twilio(client, twilio_incoming(RUMOUR)).status_code == 404


def test_pictures_and_videos_become_media_references(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    base = f"https://api.twilio.com/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages/MM1/Media"
    media = [("image/jpeg", f"{base}/ME1"), ("video/mp4", f"{base}/ME2")]

    response = post_twilio(client, twilio_incoming("", media=media))

    assert response.status_code == 200
    [message] = messages_of("twilio")
    assert [(item["kind"], item["reference"], item["mime_type"]) for item in message.media] == [
        ("image", f"{base}/ME1", "image/jpeg"),
        ("video", f"{base}/ME2", "video/mp4"),
    ]


def test_an_empty_sms_is_a_quiet_200_with_nothing_stored(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    response = post_twilio(client, twilio_incoming("  "))

    assert (response.status_code, response.content) == (200, EMPTY_TWIML)
    assert not InboundMessage.objects.exists()


def test_a_delivery_status_callback_is_a_quiet_200(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    # https://www.twilio.com/docs/messaging/guides/track-outbound-message-status
    status = {
        "MessageSid": "SM" + "1" * 32,
        "SmsSid": "SM" + "1" * 32,
        "AccountSid": TWILIO_ACCOUNT_SID,
        "From": TWILIO_FROM_NUMBER,
        "To": "+2348031000001",
        "MessageStatus": "delivered",
        "SmsStatus": "delivered",
        "ApiVersion": "2010-04-01",
    }

    response = post_twilio(client, status)

    assert response.status_code == 200
    assert not InboundMessage.objects.exists()


def test_a_whatsapp_message_bridged_by_twilio_is_not_an_sms_and_is_ignored(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    form = twilio_incoming(RUMOUR, sender="whatsapp:+2348031000001")

    assert post_twilio(client, form).status_code == 200
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize("missing", ["MessageSid", "From"])
def test_a_signed_body_without_a_message_id_or_sender_is_400(
    fake_twilio: FakeTwilio, client: Any, db: None, missing: str
) -> None:
    form = twilio_incoming(RUMOUR)
    del form[missing]

    assert post_twilio(client, form).status_code == 400


def test_a_media_count_that_is_not_a_number_is_400(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    form = {**twilio_incoming(RUMOUR), "NumMedia": "two"}

    assert post_twilio(client, form).status_code == 400


def test_a_broken_multipart_body_is_400(fake_twilio: FakeTwilio, client: Any, db: None) -> None:
    response = client.post(
        TWILIO_PATH,
        data=b"--xyz\r\nContent-Disposition: form-data; name\r\n\r\nbroken",
        content_type="multipart/form-data",  # no boundary
        HTTP_X_TWILIO_SIGNATURE="anything",
    )

    assert response.status_code == 400


def test_a_retried_webhook_stores_nothing_new(
    fake_twilio: FakeTwilio, client: Any, db: None
) -> None:
    form = twilio_incoming(RUMOUR)

    post_twilio(client, form)
    again = post_twilio(client, form)

    assert again.status_code == 200
    assert len(messages_of("twilio")) == 1


# --- Sending ----------------------------------------------------------------------------------


def test_a_reply_goes_to_the_accounts_messages_with_basic_auth(fake_twilio: FakeTwilio) -> None:
    sid = Twilio().send(outgoing("Thank you. Your tracking code is NG-4H2P."))

    [request] = fake_twilio.requests
    assert request.path == f"/2010-04-01/Accounts/{TWILIO_ACCOUNT_SID}/Messages.json"
    credentials = base64.b64encode(f"{TWILIO_ACCOUNT_SID}:{TWILIO_AUTH_TOKEN}".encode())
    assert request.headers["authorization"] == f"Basic {credentials.decode()}"
    assert request.form() == {
        "To": "+2348031000001",
        "From": TWILIO_FROM_NUMBER,
        "Body": "Thank you. Your tracking code is NG-4H2P.",
    }
    assert sid == fake_twilio.messages[0]["sid"] and sid.startswith("SM")


def test_wrong_credentials_are_a_final_failure(fake_twilio: FakeTwilio, settings: Any) -> None:
    settings.TWILIO_AUTH_TOKEN = "rotated-token"

    with pytest.raises(SendFailed) as failed:
        Twilio().send(outgoing())

    assert not failed.value.retry
    assert "401" in failed.value.reason and "20003" in failed.value.reason


def test_a_number_twilio_refuses_is_a_final_failure(fake_twilio: FakeTwilio) -> None:
    with pytest.raises(SendFailed) as failed:
        Twilio().send(outgoing(address="08031000001"))

    assert not failed.value.retry and "21211" in failed.value.reason


@pytest.mark.parametrize("body", [b"<html>Created</html>", b"{}"])
def test_an_answer_without_a_sid_is_final_so_a_retry_cannot_send_twice(
    fake_twilio: FakeTwilio, body: bytes
) -> None:
    fake_twilio.fail_next(PATH, 201, body)

    with pytest.raises(SendFailed) as failed:
        Twilio().send(outgoing())

    assert not failed.value.retry


def test_too_many_requests_is_retried_after_twilios_delay(fake_twilio: FakeTwilio) -> None:
    error = {"code": 20429, "message": "Too Many Requests", "status": 429}
    fake_twilio.fail_next(PATH, 429, error, headers={"Retry-After": "7"})

    with pytest.raises(SendFailed) as failed:
        Twilio().send(outgoing())

    assert failed.value.retry and failed.value.retry_after == 7.0


def test_a_long_amharic_reply_goes_in_one_call_of_at_most_six_segments(
    fake_twilio: FakeTwilio,
) -> None:
    text = AMHARIC * 20

    Twilio().send(outgoing(text, address="+251911000001", language="am"))

    [request] = fake_twilio.requests
    body = request.form()["Body"]
    assert segments(body) == 6
    assert body.endswith("…") and text.startswith(body[:-1])
    assert "NG-4H2P" in body


def test_a_reply_refused_with_500_is_sent_once_when_tried_again(
    fake_twilio: FakeTwilio, client: Any, placed: Any, people: Any
) -> None:
    fake_twilio.fail_next(PATH, 500, {"code": 20500, "message": "Internal Server Error"})
    with placed():
        post_twilio(client, twilio_incoming(RUMOUR, sender="+2348031000003"))
    [reply] = OutboundMessage.objects.all()
    assert reply.status == OutboundStatus.QUEUED and "500" in reply.last_error
    assert fake_twilio.texts_to("+2348031000003") == []

    OutboundMessage.objects.update(next_attempt_at=timezone.now())
    with placed():
        send_due()

    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == (OutboundStatus.SENT, 2)
    assert reply.provider_message_id == message_key("twilio", fake_twilio.messages[0]["sid"])
    assert len(fake_twilio.texts_to("+2348031000003")) == 1
    assert len(fake_twilio.requests) == 2
