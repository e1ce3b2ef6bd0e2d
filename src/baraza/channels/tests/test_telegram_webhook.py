"""POST /channels/telegram/webhook: only Telegram, with the secret, gets in; what it sends that
is not a report is acknowledged and dropped; nothing it sends can make a 500."""

import json

import pytest

from baraza.channels.models import InboundMessage
from baraza.channels.tests.fake_telegram import message_update, post_update

pytestmark = pytest.mark.django_db


def test_it_refuses_an_update_without_the_secret_token(fake_telegram, client):
    response = client.post(
        "/channels/telegram/webhook",
        data=json.dumps(message_update("hello there")),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "Secret-Token" in response.json()["detail"]
    assert not InboundMessage.objects.exists()


def test_it_refuses_an_update_with_a_wrong_secret_token(fake_telegram, client):
    response = post_update(client, message_update("hello there"), secret="guessed")
    assert response.status_code == 403 and not InboundMessage.objects.exists()


def test_it_is_not_there_when_telegram_is_not_configured(client, settings):
    settings.TELEGRAM_WEBHOOK_SECRET = None
    response = post_update(client, message_update("hello there"), secret="")
    assert response.status_code == 404


def test_it_answers_only_post(fake_telegram, client):
    assert client.get("/channels/telegram/webhook").status_code == 405


@pytest.mark.parametrize(
    "body",
    ['{"update_id": 1, "message": ', "[1, 2, 3]", '"text"', "\xff\xfe"],
    ids=["truncated", "a list", "a string", "not utf-8"],
)
def test_it_answers_400_to_a_body_that_is_not_an_update(fake_telegram, client, body):
    response = client.post(
        "/channels/telegram/webhook",
        data=body.encode("latin-1"),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="webhook-secret-for-tests",
    )
    assert response.status_code == 400 and "detail" in response.json()


def test_it_answers_400_to_a_message_missing_its_chat(fake_telegram, client):
    update = message_update("hello there")
    del update["message"]["chat"]
    assert post_update(client, update).status_code == 400


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 5, "edited_message": message_update("edited words")["message"]},
        {
            "update_id": 6,
            "message_reaction": {
                "chat": {"id": 1, "type": "private"},
                "message_id": 3,
                "date": 1700000000,
                "old_reaction": [],
                "new_reaction": [{"type": "emoji", "emoji": "👍"}],
            },
        },
        message_update(None, location={"latitude": -1.28, "longitude": 36.82}),
        message_update(
            None,
            sticker={
                "file_id": "CAAC",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        ),
        {
            "update_id": 7,
            "message": {
                **message_update("chatter in a group")["message"],
                "chat": {"id": -100123, "type": "supergroup", "title": "Election watchers"},
            },
        },
    ],
    ids=["edited", "reaction", "location", "sticker", "group chat"],
)
def test_it_acknowledges_updates_that_are_not_reports_and_keeps_nothing(
    fake_telegram, client, placed, update
):
    with placed():
        response = post_update(client, update)
    assert response.status_code == 200
    assert not InboundMessage.objects.exists()
    assert fake_telegram.requests == []  # and says nothing back


def test_it_answers_before_any_reply_is_sent(fake_telegram, client):
    """Outside `placed()` nothing after the commit runs: the webhook itself only stores."""
    response = post_update(client, message_update("Polling stations close at noon tomorrow"))
    assert response.status_code == 200
    assert InboundMessage.objects.get().status == "received"
    assert fake_telegram.requests == []
