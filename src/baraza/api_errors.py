"""How the API documents its errors: the shapes of the answers `baraza.api`'s exception handlers
give, for an operation's `response=`.

    @router.post(
        "/cases/{case_id}/merge",
        response={200: CaseOut, **errors(401, 403, 404, 409, 422)},
        operation_id="merge_cases",
    )

Documentation only: ninja validates what an operation *returns* against these shapes, but errors
are raised (baraza/errors.py) and answered by the exception handlers, never returned, so declaring
them changes no answer. Each status has its own schema so that the document says what it means.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    """An error: a sentence saying what went wrong, and the field at fault when there is one."""

    detail: str = Field(description="what went wrong, in words (translated when asked)")
    field: str | None = Field(
        None, description="the input or state field the error is about, when there is one"
    )


class UnauthorizedOut(ErrorOut):
    """401: the operation needs `Authorization: Bearer <token>` and none was given, or the token
    is invalid, expired or revoked. On public operations a token is optional, but a bad one is
    refused rather than ignored."""


class RefusedOut(ErrorOut):
    """403: your role, or the owner's rule for this object, does not let you do this."""


class NotFoundOut(ErrorOut):
    """404: no such object, or one you may not see (both answer alike, so nothing leaks)."""


class ConflictOut(ErrorOut):
    """409: the object's state does not allow this now (already decided, merged, sent...);
    `field` names the input that conflicts, when one does."""


class TooLargeOut(ErrorOut):
    """413: the request body is larger than allowed (BARAZA_MAX_REQUEST_BYTES; for imports,
    BARAZA_MAX_IMPORT_BYTES), or an uploaded file is (BARAZA_MAX_MEDIA_BYTES each,
    BARAZA_MAX_REPORT_MEDIA_BYTES together); `field` then names the file, `media[N]`."""


class RateLimitedOut(ErrorOut):
    """429: too many requests from this address (or research key); the `Retry-After` header says
    how many seconds to wait."""


class FieldErrorOut(Schema):
    """One invalid input, located as pydantic and ninja locate it."""

    loc: list[str | int] = Field(
        description=(
            "where: the input's source (body, query, path, form, file), then the field's path "
            "(a list index is a number); the last part is the field's name"
        )
    )
    msg: str = Field(description="what is wrong with it, in words")
    type: str = Field(description="the kind of error (missing, enum, value_error, ...)")
    ctx: dict[str, Any] | None = Field(
        None, description="details of the rule that failed, e.g. the allowed values"
    )


class FieldErrorsOut(Schema):
    """422: the input is invalid. Every invalid field is listed, with its location."""

    detail: list[FieldErrorOut] = Field(description="the invalid fields, one error each")


ERROR_SCHEMAS: dict[int, type[Schema]] = {
    401: UnauthorizedOut,
    403: RefusedOut,
    404: NotFoundOut,
    409: ConflictOut,
    413: TooLargeOut,
    422: FieldErrorsOut,
    429: RateLimitedOut,
}


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The error answers an operation can give, to merge into its `response=` dict:
    `response={200: CaseOut, **errors(401, 404)}`."""
    unknown = set(statuses) - set(ERROR_SCHEMAS)
    if unknown:
        raise ValueError(f"no error schema for status {sorted(unknown)}")
    return {status: ERROR_SCHEMAS[status] for status in statuses}
