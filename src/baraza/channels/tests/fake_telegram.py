"""Telegram's Bot API as https://core.telegram.org/bots/api describes it: POST
/bot<token>/<method>, answering {"ok": true, "result": ...} or {"ok": false, ...}; and files
as https://core.telegram.org/bots/api#getfile describes them: getFile answers a `file_path`,
and GET /file/bot<token>/<file_path> the file's bytes."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from baraza.channels.tests.upstream import Answer, FakeUpstream, Recorded

TOKEN = "123456:TEST-token"
SECRET = "webhook-secret-for-tests"


def params(request: Recorded) -> dict[str, Any]:
    """A Bot API call's parameters, sent as JSON or as a form."""
    if request.headers.get("content-type", "").startswith("application/json"):
        loaded: dict[str, Any] = request.json()
        return loaded
    return request.form()


WRONG_FILE_ID = "Bad Request: wrong file_id or the file is temporarily unavailable"


@dataclass(frozen=True)
class StoredFile:
    content: bytes
    file_path: str
    file_size: int | None  # what getFile says, which a test may make differ from the content


class FakeTelegram(FakeUpstream):
    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1000)
        self.files: dict[str, StoredFile] = {}  # by file_id

    def add_file(self, file_id: str, content: bytes, *, file_size: int | None = None) -> StoredFile:
        """A file people sent, for getFile and the download to find."""
        stored = StoredFile(
            content,
            f"photos/file_{len(self.files)}.jpg",
            len(content) if file_size is None else file_size,
        )
        self.files[file_id] = stored
        return stored

    def answer(self, request: Recorded) -> Answer:
        path = unquote(request.path)  # the library quotes the token's ":" in file URLs
        if path.startswith(f"/file/bot{TOKEN}/"):
            return self._download(path.removeprefix(f"/file/bot{TOKEN}/"))
        prefix = f"/bot{TOKEN}/"
        if not request.path.startswith(prefix):
            return Answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = request.path[len(prefix) :]
        given = params(request)
        if method == "getMe":
            return Answer(200, {"ok": True, "result": BOT_USER})
        if method == "getFile":
            return self._get_file(str(given.get("file_id", "")))
        if method == "setWebhook":
            return Answer(200, {"ok": True, "result": True, "description": "Webhook was set"})
        if method == "sendMessage":
            chat_id = int(given["chat_id"])
            result = {
                "message_id": next(self._ids),
                "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private", "first_name": "Reporter"},
                "date": int(time.time()),
                "text": given["text"],
            }
            return Answer(200, {"ok": True, "result": result})
        return Answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def _get_file(self, file_id: str) -> Answer:
        stored = self.files.get(file_id)
        if stored is None:
            return Answer(400, {"ok": False, "error_code": 400, "description": WRONG_FILE_ID})
        result = {
            "file_id": file_id,
            "file_unique_id": f"unique-{file_id}",
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }
        return Answer(200, {"ok": True, "result": result})

    def _download(self, file_path: str) -> Answer:
        for stored in self.files.values():
            if stored.file_path == file_path:
                return Answer(200, stored.content, {"Content-Type": "image/jpeg"})
        return Answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def downloads(self) -> list[Recorded]:
        return self.sent_to(r"^/file/bot")

    def texts_to(self, chat_id: int) -> list[str]:
        return [
            params(r)["text"]
            for r in self.sent_to(r"/sendMessage$")
            if int(params(r)["chat_id"]) == chat_id
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
