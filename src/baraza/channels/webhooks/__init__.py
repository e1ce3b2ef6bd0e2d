"""Each provider's inbound endpoint: authenticate, parse, store, answer fast.

A webhook does no matching and sends nothing: it stores the messages (idempotent by the
provider's message id) and queues their processing, so the provider gets its 200 within
milliseconds and never retries into duplicates. Bodies a provider would never send answer 400;
forged ones 403; a channel that is not configured answers 404, as if it did not exist.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse


def same_secret(given: str | None, expected: str | None) -> bool:
    return bool(expected) and hmac.compare_digest((given or "").encode(), (expected or "").encode())


def json_body(request: HttpRequest) -> Any:
    """The request's JSON, or ValueError."""
    try:
        return json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"the body is not JSON: {error}") from error


def refused(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def accepted() -> HttpResponse:
    return JsonResponse({"ok": True})
