"""Telegram's Bot API as https://core.telegram.org/bots/api describes it: POST
/bot<token>/<method>, answering {"ok": true, "result": ...} or {"ok": false, ...}."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from baraza.channels.tests.upstream import Answer, FakeUpstream, Recorded

TOKEN = "123456:TEST-token"
SECRET = "webhook-secret-for-tests"


def _params(request: Recorded) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        loaded: dict[str, Any] = request.json()
        return loaded
    return request.form()


class FakeTelegram(FakeUpstream):
    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1000)

    def answer(self, request: Recorded) -> Answer:
        prefix = f"/bot{TOKEN}/"
        if not request.path.startswith(prefix):
            return Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = request.path[len(prefix) :]
        params = _params(request)
        if method == "getMe":
            return Answer(200, {"ok": True, "result": BOT_USER})
        if method == "setWebhook":
            return Answer(200, {"ok": True, "result": True, "description": "Webhook was set"})
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            result = {
                "message_id": next(self._ids),
                "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private", "first_name": "Reporter"},
                "date": int(time.time()),
                "text": params["text"],
            }
            return Answer(200, {"ok": True, "result": result})
        return Answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def texts_to(self, chat_id: int) -> list[str]:
        return [
            _params(r)["text"]
            for r in self.sent_to(r"/sendMessage$")
            if int(_params(r)["chat_id"]) == chat_id
        ]


BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Baraza", "username": "baraza_bot"}

_update_ids = itertools.count(10000)
_message_ids = itertools.count(1)


def message_update(
    text: str | None = "Hello",
    *,
    chat_id: int = 555001,
    language_code: str = "en",
    message_id: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An update as Telegram sends it to a webhook, shaped as the Bot API's documented
    `Update` with a private `Message`."""
    message: dict[str, Any] = {
        "message_id": message_id if message_id is not None else next(_message_ids),
        "from": {
            "id": chat_id,
            "is_bot": False,
            "first_name": "Wanjiru",
            "language_code": language_code,
        },
        "chat": {"id": chat_id, "first_name": "Wanjiru", "type": "private"},
        "date": int(time.time()),
    }
    if text is not None:
        message["text"] = text
    message.update(extra)
    return {"update_id": next(_update_ids), "message": message}


def post_update(client: Any, update: dict[str, Any], secret: str = SECRET) -> Any:
    return client.post(
        "/channels/telegram/webhook",
        data=json.dumps(update),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=secret,
    )


def send(client: Any, placed: Any, text: str | None, chat_id: int, **fields: Any) -> Any:
    """A private message from `chat_id`, handled as the worker would (inside `placed()`)."""
    with placed():
        response = post_update(client, message_update(text, chat_id=chat_id, **fields))
    assert response.status_code == 200, response.content
    return response
