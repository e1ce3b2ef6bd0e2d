"""The API reads a body only as the type its operation declares.

A browser lets any web page send a "simple" cross-site request — `text/plain`,
`application/x-www-form-urlencoded` or `multipart/form-data` — without asking first (no CORS
preflight). An API that read such a body as JSON would let any page make its visitors' browsers
file anonymous reports. So a body sent to an operation that reads one must be of a type the
operation's OpenAPI request body lists — `application/json` (or a `+json` type) for JSON bodies,
`multipart/form-data` where the operation takes files — and anything else is refused with 415
before it is read. Operations that read no body (their OpenAPI entry has no request body) ignore
whatever comes. The OpenAPI document is the one source: an operation that starts taking files
declares it there, and nothing here needs to change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve

WITH_BODY = ("POST", "PUT", "PATCH")
_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@cache
def declared_types() -> dict[tuple[str, str], frozenset[str]]:
    """(OpenAPI path, method) → the request body types it takes, for operations with a body."""
    from baraza.api import api  # the API imports every app; read it once, when first needed

    document = api.get_openapi_schema()
    declared = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if content:
                declared[(path, method.upper())] = frozenset(content)
    return declared


def openapi_path(request: HttpRequest) -> str | None:
    try:
        route = resolve(request.path_info).route
    except Resolver404:
        return None
    return "/" + _PARAMETER.sub(r"{\1}", route)


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def accepted(content_type: str, takes: frozenset[str]) -> bool:
    if content_type in takes:
        return True
    return "application/json" in takes and _is_json(content_type)


def refusal(request: HttpRequest, takes: frozenset[str]) -> JsonResponse:
    given = request.content_type or "none"
    return JsonResponse(
        {
            "detail": f"this operation takes {' or '.join(sorted(takes))}, not {given}",
            "field": "Content-Type",
        },
        status=415,
    )


class ApiContentTypeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and request.method in WITH_BODY:
            path = openapi_path(request)
            takes = declared_types().get((path or "", str(request.method)))
            content_type = (request.content_type or "").lower()
            if takes and not accepted(content_type, takes):
                return refusal(request, takes)
        return self.get_response(request)
