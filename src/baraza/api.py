"""The one NinjaAPI. Each app contributes a router; errors are JSON with a 4xx status, each
operation listing the ones it can answer (`baraza.api_errors.errors`)."""

import json
from typing import Any, Literal, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.parser import Parser

from baraza.accountability.api import router as accountability_router
from baraza.accountability.research import keys_router as research_keys_router
from baraza.accountability.research import router as research_router
from baraza.cases.api import router as cases_router
from baraza.errors import ActionError, InvalidField
from baraza.intake.api import router as intake_router
from baraza.matching.api import router as matching_router
from baraza.media.api import router as media_router
from baraza.middleware import api_docs_policy, body_limit, too_large
from baraza.ratelimits import RateLimited
from baraza.review.api import router as review_router


class JsonOrPayloadPart(Parser):
    """JSON bodies, and for operations that take files (`submit_report`) a multipart body whose
    `payload` part holds the same JSON: one schema, one validation, whichever way it came."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        if request.content_type == "multipart/form-data":
            payload = request.POST.get("payload")
            # Files may make the body large; the fields may be no larger than any JSON body.
            if payload and len(payload) > settings.MAX_REQUEST_BYTES:
                raise ValueError(f"the payload part is over {settings.MAX_REQUEST_BYTES} bytes")
            return cast(dict[str, Any], json.loads(payload)) if payload else {}
        return super().parse_body(request)


api = NinjaAPI(
    parser=JsonOrPayloadPart(),
    title="Baraza API",
    version="1",
    description=(
        "Election information-integrity clearinghouse. Authenticate with "
        "`Authorization: Bearer <token>` (a member's token; the research operations take a "
        "research key, `bzr_...`); public operations need no token, but refuse a bad one.\n\n"
        "Each operation lists the errors it can answer. All are JSON: "
        '`{"detail": "...", "field": "..."}` (401 no or bad token, 403 your role or the '
        "owner's rule refuses, 404 no such object or one you may not see, 409 the object's "
        "state does not allow it now, 413 body too large, 429 rate limit with Retry-After), "
        "or for 422 the list of invalid fields, "
        '`{"detail": [{"loc": ["body", "payload", "field"], "msg": "...", "type": "..."}]}`; '
        "400 for a body that is not JSON; 415 for a body of another type than "
        "`application/json` (operations that take files also take `multipart/form-data`). "
        "Enumerated fields carry their values in the schema; "
        "taxonomy codes (verdicts, severities, harm categories, DISARM techniques, DSA "
        "categories) are data: read them with `list_taxonomy`. Lists are paged with `limit` "
        'and `offset` and answer `{"items": [...], "count": N}`.'
    ),
    urls_namespace="api",
    # Swagger UI comes from a CDN: the docs page gets a Content-Security-Policy of its own.
    docs_decorator=api_docs_policy,
)


class Health(Schema):
    """The web process is up."""

    status: Literal["ok"] = Field(description="always ok: any answer at all means up")


@api.get("/health", response=Health, operation_id="health", tags=["service"])
def health(request: HttpRequest) -> dict[str, str]:
    """Answers when the web process is up; touches nothing else (also the benchmarks' baseline).
    Public; no errors of its own."""
    return {"status": "ok"}


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = (
        str(exc)
        if str(exc) and str(exc) != "Unauthorized"
        else ("this operation needs 'Authorization: Bearer <token>' with a valid member token")
    )
    return api.create_response(request, {"detail": message}, status=401)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not allowed"}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not found"}, status=404)


@api.exception_handler(ActionError)
def _action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    """The one place where the error vocabulary (baraza/errors.py) becomes HTTP. An invalid
    field answers in the shape of ninja's own validation errors, so a client reads one shape."""
    body: dict[str, object]
    if isinstance(exc, InvalidField):
        error = {"loc": [exc.location, exc.field], "msg": exc.message, "type": "value_error"}
        body = {"detail": [error]}
    else:
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return too_large(body_limit(request))


@api.exception_handler(MultiPartParserError)
def _broken_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return api.create_response(
        request, {"detail": f"the multipart body is broken: {exc}"}, status=400
    )


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


api.add_router("/", intake_router)
api.add_router("/", cases_router)
api.add_router("/", matching_router)
api.add_router("/", media_router)
api.add_router("/", review_router)
api.add_router("/", accountability_router)
api.add_router("/", research_router)
api.add_router("/", research_keys_router)
