"""The WhatsApp webhook as Meta calls it: the verification handshake, signed `messages`
webhooks, and what each documented kind of message is stored as. Bodies are shaped like
https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples and signed as
https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
describes. Nothing here is processed further (no `placed()`): only what the webhook stores."""

from __future__ import annotations

import json
from typing import Any

import pytest

from baraza.channels.actions import message_key
from baraza.channels.models import InboundMessage
from baraza.channels.tests import fake_whatsapp as wa
from baraza.channels.tests.fake_whatsapp import FakeGraphAPI
from baraza.channels.tests.journeys import messages_of
from baraza.intake import crypto

pytestmark = pytest.mark.django_db


def stored() -> list[InboundMessage]:
    return messages_of("whatsapp")


def the_one(response: Any) -> InboundMessage:
    assert response.status_code == 200, response.content
    messages = stored()
    assert len(messages) == 1, messages
    return messages[0]


# --- the handshake ---------------------------------------------------------------------------


def test_it_answers_metas_handshake_with_the_challenge(client: Any, fake_graph: Any) -> None:
    response = wa.handshake(client, challenge="1158201444")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"1158201444"


def test_it_refuses_the_handshake_with_a_wrong_verify_token(client: Any, fake_graph: Any) -> None:
    response = wa.handshake(client, token="guessed")

    assert response.status_code == 403
    assert b"1158201444" not in response.content


def test_it_refuses_a_handshake_that_is_not_a_subscription(client: Any, fake_graph: Any) -> None:
    response = client.get(
        "/channels/whatsapp/webhook",
        {"hub.mode": "unsubscribe", "hub.challenge": "7", "hub.verify_token": wa.VERIFY_TOKEN},
    )

    assert response.status_code == 400


def test_the_handshake_finds_nothing_when_whatsapp_is_not_configured(
    client: Any, settings: Any
) -> None:
    settings.WHATSAPP_VERIFY_TOKEN = None

    assert wa.handshake(client).status_code == 404


# --- signatures ------------------------------------------------------------------------------


def test_it_stores_a_message_signed_with_the_app_secret(client: Any, fake_graph: Any) -> None:
    response = wa.post_webhook(client, wa.webhook(wa.text("Ballot boxes arrived already open")))

    message = the_one(response)
    assert message.text == "Ballot boxes arrived already open"
    assert crypto.decrypt(message.sender.address_encrypted) == f"+{wa.WA_ID}"


def test_it_refuses_a_body_signed_with_another_secret(client: Any, fake_graph: Any) -> None:
    response = wa.post_webhook(client, wa.webhook(wa.text("Hello")), secret="not-the-secret")

    assert response.status_code == 403
    assert stored() == []


def test_it_refuses_a_body_without_a_signature(client: Any, fake_graph: Any) -> None:
    response = wa.post_webhook(client, wa.webhook(wa.text("Hello")), signed="")

    assert response.status_code == 403
    assert stored() == []


def test_it_refuses_a_signature_without_the_sha256_prefix(client: Any, fake_graph: Any) -> None:
    body = json.dumps(wa.webhook(wa.text("Hello"))).encode()
    bare = wa.signature(body).removeprefix("sha256=")

    assert wa.post_webhook(client, body, signed=bare).status_code == 403
    assert stored() == []


def test_it_refuses_a_body_altered_after_signing(client: Any, fake_graph: Any) -> None:
    original = json.dumps(wa.webhook(wa.text("The tally was 4,200 votes"))).encode()
    altered = original.replace(b"4,200", b"9,200")

    response = wa.post_webhook(client, altered, signed=wa.signature(original))

    assert response.status_code == 403
    assert stored() == []


def test_posts_find_nothing_when_whatsapp_is_not_configured(client: Any, settings: Any) -> None:
    settings.WHATSAPP_APP_SECRET = None

    response = wa.post_webhook(client, wa.webhook(wa.text("Hello")), secret="anything")

    assert response.status_code == 404
    assert stored() == []


def test_it_answers_other_methods_with_405(client: Any, fake_graph: Any) -> None:
    assert client.put("/channels/whatsapp/webhook").status_code == 405


def test_a_replayed_body_stores_the_message_once(client: Any, fake_graph: Any) -> None:
    body = json.dumps(wa.webhook(wa.text("Polling station 12 closed at noon"))).encode()

    first = wa.post_webhook(client, body)
    again = wa.post_webhook(client, body)

    assert (first.status_code, again.status_code) == (200, 200)
    assert [m.text for m in stored()] == ["Polling station 12 closed at noon"]


# --- what each kind of message is stored as --------------------------------------------------


def test_a_text_message_keeps_its_words_links_and_time(client: Any, fake_graph: Any) -> None:
    sent = wa.text("Fake results posted at https://example.org/results?id=7, share widely!")

    message = the_one(wa.post_webhook(client, wa.webhook(sent)))

    assert message.provider_message_id == message_key("whatsapp", sent["id"])
    assert message.urls == ["https://example.org/results?id=7"]
    assert message.media == []
    assert message.forwarded is False
    assert message.language_hint == ""  # WhatsApp says nothing of the person's language
    assert message.sent_at is not None
    assert int(message.sent_at.timestamp()) == int(sent["timestamp"])


def test_an_image_keeps_its_caption_and_media_reference(client: Any, fake_graph: Any) -> None:
    sent = wa.image("1479537139650973", "This poster is fake")

    message = the_one(wa.post_webhook(client, wa.webhook(sent)))

    assert message.text == "This poster is fake"
    assert message.media == [
        {
            "kind": "image",
            "reference": "1479537139650973",
            "mime_type": "image/jpeg",
            "size": None,
            "name": "",
        }
    ]


def test_an_image_without_a_caption_is_kept_for_its_picture(client: Any, fake_graph: Any) -> None:
    message = the_one(wa.post_webhook(client, wa.webhook(wa.image("1479537139650974"))))

    assert message.text == ""
    assert [m["reference"] for m in message.media] == ["1479537139650974"]


@pytest.mark.parametrize("how", ["forwarded", "frequently_forwarded"])
def test_a_forwarded_message_is_marked_forwarded(client: Any, fake_graph: Any, how: str) -> None:
    sent = wa.text("Forwarded many times: voting moved to Thursday", **{how: True})

    assert the_one(wa.post_webhook(client, wa.webhook(sent))).forwarded is True


def test_a_voice_note_is_kept_as_a_voice_reference(client: Any, fake_graph: Any) -> None:
    message = the_one(wa.post_webhook(client, wa.webhook(wa.audio("939473221440211", voice=True))))

    assert [(m["kind"], m["reference"], m["mime_type"]) for m in message.media] == [
        ("voice", "939473221440211", "audio/ogg; codecs=opus")
    ]


def test_an_audio_file_is_kept_as_audio(client: Any, fake_graph: Any) -> None:
    message = the_one(wa.post_webhook(client, wa.webhook(wa.audio("939473221440212", voice=False))))

    assert [m["kind"] for m in message.media] == ["audio"]


def test_a_document_keeps_its_file_name(client: Any, fake_graph: Any) -> None:
    sent = wa.document("3416093555275577", "form34A.pdf", "The real form 34A")

    message = the_one(wa.post_webhook(client, wa.webhook(sent)))

    assert message.text == "The real form 34A"
    assert [(m["kind"], m["name"], m["mime_type"]) for m in message.media] == [
        ("document", "form34A.pdf", "application/pdf")
    ]


def test_a_button_reply_reads_as_the_buttons_title(client: Any, fake_graph: Any) -> None:
    message = the_one(wa.post_webhook(client, wa.webhook(wa.button_reply("status", "Status"))))

    assert message.text == "Status"


def test_several_messages_in_one_webhook_are_all_stored(client: Any, fake_graph: Any) -> None:
    body = wa.webhook(wa.text("First part"), wa.image("1479537139650975", "Second part"))

    assert wa.post_webhook(client, body).status_code == 200
    assert [m.text for m in stored()] == ["First part", "Second part"]


@pytest.mark.parametrize("state", ["sent", "delivered", "read", "failed"])
def test_a_status_callback_is_acknowledged_and_stores_nothing(
    client: Any, fake_graph: Any, state: str
) -> None:
    response = wa.post_webhook(client, wa.statuses(state))

    assert response.status_code == 200
    assert stored() == []


@pytest.mark.parametrize("sent", [wa.location, wa.reaction, wa.unsupported])
def test_messages_we_cannot_use_are_acknowledged_and_store_nothing(
    client: Any, fake_graph: Any, sent: Any
) -> None:
    response = wa.post_webhook(client, wa.webhook(sent()))

    assert response.status_code == 200
    assert stored() == []


def test_messages_to_another_of_the_business_numbers_are_not_ours(
    client: Any, fake_graph: Any
) -> None:
    body = wa.webhook(wa.text("Hello"))
    body["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999999999999999"

    assert wa.post_webhook(client, body).status_code == 200
    assert stored() == []


def test_other_webhook_fields_are_acknowledged_and_store_nothing(
    client: Any, fake_graph: Any
) -> None:
    # https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
    body = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": wa.WABA_ID,
                "time": 1739321024,
                "changes": [
                    {
                        "field": "account_update",
                        "value": {
                            "phone_number": wa.DISPLAY_PHONE_NUMBER,
                            "event": "VERIFIED_ACCOUNT",
                        },
                    }
                ],
            }
        ],
    }

    assert wa.post_webhook(client, body).status_code == 200
    assert stored() == []


# --- bodies Meta would never send ------------------------------------------------------------


def test_it_refuses_a_body_that_is_not_json(client: Any, fake_graph: Any) -> None:
    assert wa.post_webhook(client, b'{"object": "whatsapp_business_acc').status_code == 400


def test_it_refuses_json_that_is_not_an_object(client: Any, fake_graph: Any) -> None:
    assert wa.post_webhook(client, b'["whatsapp_business_account"]').status_code == 400


def _without(key: str) -> dict[str, Any]:
    body = wa.webhook(wa.text("Hello"))
    del body["entry"][0]["changes"][0]["value"]["messages"][0][key]
    return body


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 200),
        ({"object": "whatsapp_business_account"}, 200),
        ({"object": "whatsapp_business_account", "entry": [{"id": wa.WABA_ID}]}, 200),
        ({"object": "whatsapp_business_account", "entry": [{"changes": [{}]}]}, 200),
        ({"object": "whatsapp_business_account", "entry": {"id": wa.WABA_ID}}, 400),
        ({"object": "whatsapp_business_account", "entry": ["not an entry"]}, 400),
        ({"object": "whatsapp_business_account", "entry": [{"changes": [{"value": []}]}]}, 400),
        (_without("from"), 400),
        (_without("id"), 400),
        (_without("type"), 200),
        (_without("text"), 200),
    ],
)
def test_a_body_with_missing_or_wrong_keys_never_breaks_the_webhook(
    client: Any, fake_graph: Any, body: dict[str, Any], status: int
) -> None:
    response = wa.post_webhook(client, body)

    assert response.status_code == status, response.content
    assert stored() == []


def test_a_message_without_a_timestamp_is_stored_without_one(client: Any, fake_graph: Any) -> None:
    sent = wa.text("No time given")
    del sent["timestamp"]

    message = the_one(wa.post_webhook(client, wa.webhook(sent)))

    assert message.sent_at is None


def test_the_webhook_sends_nothing_itself(client: Any, fake_graph: FakeGraphAPI) -> None:
    # The reply is the worker's job: Meta gets its 200 without waiting on the Graph API.
    response = wa.post_webhook(client, wa.webhook(wa.text("Hello there, a report")))

    assert response.status_code == 200
    assert fake_graph.requests == []
