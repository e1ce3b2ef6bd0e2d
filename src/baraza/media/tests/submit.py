"""Submitting a report with files through the API, as the media tests do again and again."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.test import Client


def post_with_media(
    client: Client,
    paths: list[Path],
    payload: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Any:
    """POST /api/reports as multipart: the fields as JSON in `payload`, the files as `media`."""
    with ExitStack() as stack:
        handles = [stack.enter_context(path.open("rb")) for path in paths]
        data: dict[str, Any] = {"payload": json.dumps(payload)}
        if handles:
            data["media"] = handles
        return client.post("/api/reports", data, headers=headers or {})
