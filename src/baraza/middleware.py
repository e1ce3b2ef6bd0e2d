"""Request-level limits: body size (413) and the client address used by rate limits; and the
response headers every answer carries (Permissions-Policy; the API docs' own CSP)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.constants import HEADER, NONE, SELF
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

IMPORT_PATH_SUFFIX = "/import"


# Where a report may come with files: the API's submit_report and the public form; and the
# search by a file (search_media).
MEDIA_PATHS = ("/api/reports", "/", "/api/media/search")


def body_limit(request: HttpRequest) -> int:
    if request.path.endswith(IMPORT_PATH_SUFFIX):
        return int(settings.MAX_IMPORT_BYTES)
    if request.path in MEDIA_PATHS and request.content_type == "multipart/form-data":
        # The fields, the files, and the multipart framing around each file.
        return int(settings.MAX_REQUEST_BYTES + settings.MAX_REPORT_MEDIA_BYTES + 64 * 1024)
    return int(settings.MAX_REQUEST_BYTES)


def too_large(limit: int) -> JsonResponse:
    return JsonResponse({"detail": f"the request body is larger than {limit} bytes"}, status=413)


def too_large_page(request: HttpRequest, limit: int) -> HttpResponse:
    """A person sending the report form with files too large for it reads why, in their
    language, and how to go back; this runs before the session and language middleware, so
    the page stands alone."""
    language = translation.get_language_from_request(request)
    # The site's CSP allows no style attribute; CSPMiddleware runs first, so the nonce exists.
    nonce = escape(str(getattr(request, "csp_nonce", "")))
    with translation.override(language):
        title = _("Your files are too large")
        words = _(
            "Together they may come to at most %(megabytes)s MB. Go back, choose smaller or "
            "fewer files, and send the report again."
        ) % {"megabytes": f"{limit / (1024 * 1024):.0f}"}
        back = _("Back to the report form")
    page = (
        f'<!doctype html><html lang="{escape(language)}"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>{escape(title)}</title><style nonce="{nonce}">body{{font-family:system-ui,'
        "sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}</style>"
        f"<body><h1>{escape(title)}</h1>"
        f'<p>{escape(words)}</p><p><a href="/">{escape(back)}</a></p></body></html>'
    )
    return HttpResponse(page, status=413)


class RequestSizeLimitMiddleware:
    """Refuses oversized bodies before anything reads them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Content-Length is not a number"}, status=400)
        if length > limit:
            if not request.path.startswith("/api/"):
                return too_large_page(request, limit)
            return too_large(limit)
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting only as many X-Forwarded-For hops as we have proxies."""
    hops = int(settings.TRUSTED_PROXY_COUNT)
    if hops:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [ip for ip in forwarded if ip]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


class PermissionsPolicyMiddleware:
    """Every response denies the browser features Baraza never uses (camera, microphone,
    location, payment, USB...), so a page, or anything injected into one, cannot ask for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy(settings.PERMISSIONS_POLICY)
        return response


def permissions_policy(features: dict[str, list[str]]) -> str:
    """{"camera": [], "fullscreen": ["self"]} as 'camera=(), fullscreen=(self)'."""
    return ", ".join(f"{name}=({' '.join(allowed)})" for name, allowed in features.items())


# The docs page's inline scripts (a data block is not a script: it is never run).
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)
_SWAGGER_CDN = "https://cdn.jsdelivr.net"


def api_docs_policy(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The API's Swagger page (/api/docs) is django-ninja's: Swagger UI from jsDelivr and an
    inline script that starts it. It gets a policy of its own: those scripts and the CDN's
    stylesheet, each inline script allowed by its hash (computed from the page as served, so a
    new django-ninja keeps working) rather than by 'unsafe-inline'."""

    @wraps(view)
    def with_policy(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        content = getattr(response, "content", b"")
        hashes = [
            f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in _INLINE_SCRIPT.findall(content)
        ]
        policy = {
            "default-src": [NONE],
            "script-src": [_SWAGGER_CDN, *hashes],
            "style-src": [_SWAGGER_CDN],
            "img-src": [SELF, "data:", "https://django-ninja.dev"],
            "connect-src": [SELF],
            "base-uri": [NONE],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
        # CSPMiddleware leaves a policy already set alone.
        response[HEADER] = build_policy(config=policy)
        return response

    return with_policy
