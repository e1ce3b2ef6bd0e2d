"""Helpers for reading the API's errors in tests (see baraza/errors.py for the vocabulary)."""

from __future__ import annotations

from typing import Any


def field_errors(response: Any) -> dict[str, str]:
    """A 422's field errors as {field: message}: the last part of each error's `loc`."""
    assert response.status_code == 422, (response.status_code, response.content)
    return {str(error["loc"][-1]): error["msg"] for error in response.json()["detail"]}


def conflict(response: Any) -> tuple[str | None, str]:
    """A 409's field (or None) and message."""
    assert response.status_code == 409, (response.status_code, response.content)
    body = response.json()
    return body.get("field"), body["detail"]
