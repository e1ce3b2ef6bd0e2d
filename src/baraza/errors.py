"""The one error vocabulary. Actions raise these; they are mapped to HTTP once.

- `Refused`      → 403: the person may not do this (a role or an owner rule said no).
- `NotFound`     → 404: no such object, or one the person may not see (the same answer).
- `Conflict`     → 409: the object's state does not allow it now (decided, merged, sent twice).
- `TooLarge`     → 413: an uploaded file, or all of them together, over a size cap.
- `InvalidField` → 422: the input is wrong; carries the field's name as data, never in the text.

The API maps them in `baraza.api` (one ninja exception handler); pages let `Refused` and
`NotFound` reach Django's 403 and 404 handlers (they are `PermissionDenied` and `Http404`), and
show the others with `baraza.pages.action_failed`. Nothing else in a router or a view turns an
error into a status.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import PermissionDenied
from django.http import Http404


class ActionError(Exception):
    """Something a person asked for that cannot be done; the message says why, in words."""

    status: ClassVar[int] = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class Refused(ActionError, PermissionDenied):
    status = 403


class NotFound(ActionError, Http404):
    status = 404


class Conflict(ActionError):
    status = 409


class TooLarge(ActionError):
    """413: a file or a body over one of the size caps; `field` names the file at fault."""

    status = 413


class InvalidField(ActionError):
    """Input that cannot be accepted, naming the field at fault and where it came from (`body`,
    `query` or `path`), as the API's `loc` says it."""

    status = 422

    def __init__(self, field: str, message: str, *, location: str = "body") -> None:
        super().__init__(message, field=field)
        self.field: str = field
        self.location = location
