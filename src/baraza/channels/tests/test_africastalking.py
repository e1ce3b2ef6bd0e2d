"""Africa's Talking through its real protocol: the incoming-message callback it POSTs
(https://developers.africastalking.com/docs/sms/notifications) and the bulk SMS API we send
replies through (https://docs.africastalking.com/sms/sending), against a fake on loopback."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from baraza.channels.actions import message_key
from baraza.channels.models import InboundMessage, OutboundMessage, OutboundStatus, Sender
from baraza.channels.providers import Outgoing, SendFailed
from baraza.channels.providers.africastalking import AfricasTalking
from baraza.channels.providers.sms import segments
from baraza.channels.tasks import send_due
from baraza.channels.tests.fake_sms import (
    AT_API_KEY,
    AT_SENDER_ID,
    AT_USERNAME,
    FakeAfricasTalking,
    at_answer,
    at_incoming,
    post_at,
)
from baraza.channels.tests.journeys import messages_of
from baraza.intake import crypto

PATH = r"^/version1/messaging$"
RUMOUR = "Vituo vya kupigia kura Kisumu vitafungwa saa nane mchana siku ya uchaguzi."

AMHARIC = "ሪፖርትዎን ተቀብለናል። ገምጋሚዎች ይመለከቱታል። የመከታተያ ኮድዎ KE-7F3K ነው። "


def outgoing(text: str = "Asante. Nambari yako ni KE-7F3K.", **fields: Any) -> Outgoing:
    values: dict[str, Any] = {
        "address": "+254711000001",
        "text": text,
        "kind": "received",
        "language": "sw",
        "last_inbound_at": None,
        "report_code": "KE-7F3K",
        **fields,
    }
    return Outgoing(**values)


# --- The callback -----------------------------------------------------------------------------


def test_an_incoming_sms_is_stored_with_its_sender_id_text_and_date(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None
) -> None:
    form = at_incoming(RUMOUR, sender="+254711000002", date="2024-08-09 07:48:32")

    response = post_at(client, form)

    assert response.status_code == 200
    [message] = messages_of("africastalking")
    assert message.provider_message_id == message_key("africastalking", form["id"])
    assert message.text == RUMOUR
    assert message.sent_at is not None and message.sent_at.isoformat().startswith("2024-08-09")
    assert crypto.decrypt(message.sender.address_encrypted) == "+254711000002"


def test_an_iso_date_with_a_zone_is_read_too(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None
) -> None:
    post_at(client, at_incoming(RUMOUR, date="2024-08-09T07:48:32.142Z"))

    [message] = messages_of("africastalking")
    assert message.sent_at is not None and message.sent_at.minute == 48


def test_a_date_it_cannot_read_does_not_lose_the_message(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None
) -> None:
    response = post_at(client, at_incoming(RUMOUR, date="yesterday"))

    assert response.status_code == 200
    assert messages_of("africastalking")[0].sent_at is None


def test_it_refuses_a_wrong_secret_and_stores_nothing(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None
) -> None:
    response = post_at(client, at_incoming(RUMOUR), secret="guessed-secret")

    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_an_unconfigured_channel_answers_404(
    fake_africastalking: FakeAfricasTalking, client: Any, settings: Any, db: None
) -> None:
    settings.AFRICASTALKING_CALLBACK_SECRET = None

    assert post_at(client, at_incoming(RUMOUR)).status_code == 404
    assert post_at(client, at_incoming(RUMOUR), secret="").status_code == 404


def test_only_the_allowed_addresses_may_call_when_some_are_listed(
    fake_africastalking: FakeAfricasTalking, client: Any, settings: Any, db: None
) -> None:
    settings.AFRICASTALKING_ALLOWED_ADDRESSES = ["52.48.80.1"]

    refused = post_at(client, at_incoming(RUMOUR), REMOTE_ADDR="198.51.100.9")
    allowed = post_at(client, at_incoming(RUMOUR), REMOTE_ADDR="52.48.80.1")

    assert (refused.status_code, allowed.status_code) == (403, 200)
    assert len(messages_of("africastalking")) == 1


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_checked(
    fake_africastalking: FakeAfricasTalking, client: Any, settings: Any, db: None
) -> None:
    settings.AFRICASTALKING_ALLOWED_ADDRESSES = ["52.48.80.1"]
    settings.TRUSTED_PROXY_COUNT = 1

    response = post_at(
        client, at_incoming(RUMOUR), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="52.48.80.1"
    )

    assert response.status_code == 200


@pytest.mark.parametrize("missing", ["from", "id"])
def test_a_callback_without_a_sender_or_an_id_is_400(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None, missing: str
) -> None:
    form = at_incoming(RUMOUR)
    del form[missing]

    assert post_at(client, form).status_code == 400
    assert not InboundMessage.objects.exists()


def test_a_json_body_is_not_a_callback_and_is_400(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None
) -> None:
    response = client.post(
        "/channels/sms/africastalking/at-callback-secret-for-tests/",
        data=at_incoming(RUMOUR),
        content_type="application/json",
    )

    assert response.status_code == 400


def test_a_broken_multipart_body_is_400(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None
) -> None:
    response = client.post(
        "/channels/sms/africastalking/at-callback-secret-for-tests/",
        data=b"--xyz\r\nContent-Disposition: form-data; name\r\n\r\nbroken",
        content_type="multipart/form-data",  # no boundary
    )

    assert response.status_code == 400


def test_an_empty_text_is_a_quiet_200_with_nothing_stored(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None
) -> None:
    response = post_at(client, at_incoming("   "))

    assert response.status_code == 200
    assert not InboundMessage.objects.exists() and not Sender.objects.exists()


@pytest.mark.parametrize(
    "notification",
    [
        # https://developers.africastalking.com/docs/sms/notifications: a delivery report,
        # a bulk SMS opt-out, a premium subscription.
        {
            "id": "ATXid_f3b1e0a6c2d94e5b8a7c6d5e4f3a2b1c",
            "status": "Success",
            "phoneNumber": "+254711000001",
            "networkCode": "63902",
            "retryCount": "0",
        },
        {"senderId": "BARAZA", "phoneNumber": "+254711000001"},
        {
            "phoneNumber": "+254711000001",
            "shortCode": "21525",
            "keyword": "baraza",
            "updateType": "addition",
        },
    ],
)
def test_other_notifications_sent_to_this_url_are_a_quiet_200(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None, notification: dict[str, str]
) -> None:
    response = post_at(client, notification)

    assert response.status_code == 200
    assert not InboundMessage.objects.exists()


def test_a_retried_callback_stores_nothing_new(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None
) -> None:
    form = at_incoming(RUMOUR)

    post_at(client, form)
    again = post_at(client, form)

    assert again.status_code == 200
    assert len(messages_of("africastalking")) == 1


def test_the_callback_takes_only_posts(
    fake_africastalking: FakeAfricasTalking, client: Any, db: None
) -> None:
    assert (
        client.get("/channels/sms/africastalking/at-callback-secret-for-tests/").status_code == 405
    )


# --- Sending ----------------------------------------------------------------------------------


def test_a_reply_goes_out_form_encoded_with_the_api_key_and_sender_id(
    fake_africastalking: FakeAfricasTalking,
) -> None:
    message_id = AfricasTalking().send(outgoing("Asante. Nambari yako ni KE-7F3K."))

    [request] = fake_africastalking.requests
    assert request.headers["apikey"] == AT_API_KEY
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form() == {
        "username": AT_USERNAME,
        "to": "+254711000001",
        "message": "Asante. Nambari yako ni KE-7F3K.",
        "from": AT_SENDER_ID,
    }
    assert message_id == fake_africastalking.message_ids[0]


def test_without_a_sender_id_the_account_default_sends(
    fake_africastalking: FakeAfricasTalking, settings: Any
) -> None:
    settings.AFRICASTALKING_SENDER_ID = None

    AfricasTalking().send(outgoing())

    assert "from" not in fake_africastalking.requests[0].form()


def test_a_wrong_api_key_is_a_final_failure(
    fake_africastalking: FakeAfricasTalking, settings: Any
) -> None:
    settings.AFRICASTALKING_API_KEY = "atsk_revoked"

    with pytest.raises(SendFailed) as failed:
        AfricasTalking().send(outgoing())

    assert not failed.value.retry
    assert "401" in failed.value.reason and "authentication is invalid" in failed.value.reason


@pytest.mark.parametrize(
    "code, status, retry",
    [
        (401, "RiskHold", False),
        (403, "InvalidPhoneNumber", False),
        (405, "InsufficientBalance", False),
        (406, "UserInBlacklist", False),
        (409, "DoNotDisturbRejection", False),
        (500, "InternalServerError", True),
        (501, "GatewayError", True),
        (502, "RejectedByGateway", True),
    ],
)
def test_a_recipient_status_that_is_not_success_fails_with_its_words(
    fake_africastalking: FakeAfricasTalking, code: int, status: str, retry: bool
) -> None:
    fake_africastalking.fail_next(PATH, 201, at_answer("+254711000001", code, status))

    with pytest.raises(SendFailed) as failed:
        AfricasTalking().send(outgoing())

    assert failed.value.retry is retry
    assert status in failed.value.reason


@pytest.mark.parametrize("code, status", [(100, "Processed"), (101, "Success"), (102, "Queued")])
def test_processed_sent_and_queued_are_success(
    fake_africastalking: FakeAfricasTalking, code: int, status: str
) -> None:
    answer = at_answer("+254711000001", code, status, "ATXid_abc")
    fake_africastalking.fail_next(PATH, 201, answer)

    assert AfricasTalking().send(outgoing()) == "ATXid_abc"


def test_a_number_africas_talking_cannot_read_is_a_final_failure(
    fake_africastalking: FakeAfricasTalking,
) -> None:
    with pytest.raises(SendFailed) as failed:
        AfricasTalking().send(outgoing(address="0711-not-a-number"))

    assert not failed.value.retry and "InvalidPhoneNumber" in failed.value.reason


def test_an_answer_with_no_recipient_is_a_final_failure(
    fake_africastalking: FakeAfricasTalking,
) -> None:
    answer = {"SMSMessageData": {"Message": "InvalidSenderId", "Recipients": []}}
    fake_africastalking.fail_next(PATH, 201, answer)

    with pytest.raises(SendFailed) as failed:
        AfricasTalking().send(outgoing())

    assert not failed.value.retry and "InvalidSenderId" in failed.value.reason


def test_an_answer_it_cannot_read_is_final_so_a_retry_cannot_send_twice(
    fake_africastalking: FakeAfricasTalking,
) -> None:
    fake_africastalking.fail_next(PATH, 201, b"<html>Accepted</html>")

    with pytest.raises(SendFailed) as failed:
        AfricasTalking().send(outgoing())

    assert not failed.value.retry and "not JSON" in failed.value.reason


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_worth_retrying(
    fake_africastalking: FakeAfricasTalking, status: int
) -> None:
    fake_africastalking.fail_next(PATH, status, b"Service Unavailable")

    with pytest.raises(SendFailed) as failed:
        AfricasTalking().send(outgoing())

    assert failed.value.retry


def test_a_hanging_api_is_a_retryable_timeout(
    fake_africastalking: FakeAfricasTalking, settings: Any
) -> None:
    settings.CHANNEL_SEND_TIMEOUT_SECONDS = 1
    fake_africastalking.fail_next(PATH, 201, at_answer("+254711000001", 101, "Success"), delay=2)

    with pytest.raises(SendFailed) as failed:
        AfricasTalking().send(outgoing())

    assert failed.value.retry and "timed out" in failed.value.reason


def test_a_long_amharic_reply_goes_in_one_call_of_at_most_six_segments(
    fake_africastalking: FakeAfricasTalking,
) -> None:
    text = AMHARIC * 20

    AfricasTalking().send(outgoing(text, address="+251911000001", language="am"))

    [request] = fake_africastalking.requests
    sent = request.form()["message"]
    assert segments(sent) == 6
    assert sent.endswith("…") and text.startswith(sent[:-1])
    assert "KE-7F3K" in sent


def test_a_reply_refused_with_500_is_sent_once_when_tried_again(
    fake_africastalking: FakeAfricasTalking, client: Any, placed: Any, people: Any
) -> None:
    fake_africastalking.fail_next(PATH, 500, b"Internal Server Error")
    with placed():
        post_at(client, at_incoming(RUMOUR, sender="+254711000003"))
    [reply] = OutboundMessage.objects.all()
    assert reply.status == OutboundStatus.QUEUED and "500" in reply.last_error
    assert fake_africastalking.texts_to("+254711000003") == []

    OutboundMessage.objects.update(next_attempt_at=timezone.now())
    with placed():
        send_due()

    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == (OutboundStatus.SENT, 2)
    [answered] = fake_africastalking.message_ids
    assert reply.provider_message_id == message_key("africastalking", answered)
    assert len(fake_africastalking.texts_to("+254711000003")) == 1
    assert len(fake_africastalking.requests) == 2
