"""GET and POST /channels/whatsapp/webhook: Meta's verification handshake, then the `messages`
webhook, authenticated by X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the app
secret). https://developers.facebook.com/docs/graph-api/webhooks/getting-started"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from baraza.channels.actions import do_receive_messages
from baraza.channels.providers.whatsapp import parse_webhook
from baraza.channels.webhooks import accepted, json_body, refused, same_secret

_PREFIX = "sha256="


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    return _receive(request)


def _handshake(request: HttpRequest) -> HttpResponse:
    """Meta checks the callback URL once, when it is set, and expects the challenge back."""
    if not settings.WHATSAPP_VERIFY_TOKEN:
        return refused("the WhatsApp channel is not configured", 404)
    if not same_secret(request.GET.get("hub.verify_token"), settings.WHATSAPP_VERIFY_TOKEN):
        return refused("wrong or missing hub.verify_token", 403)
    challenge = request.GET.get("hub.challenge", "")
    if request.GET.get("hub.mode") != "subscribe" or not challenge:
        return refused("expected hub.mode=subscribe and a hub.challenge", 400)
    return HttpResponse(challenge, content_type="text/plain")


def _receive(request: HttpRequest) -> HttpResponse:
    secret = settings.WHATSAPP_APP_SECRET
    if not secret:
        return refused("the WhatsApp channel is not configured", 404)
    given = request.headers.get("X-Hub-Signature-256", "")
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    if not given.startswith(_PREFIX) or not same_secret(given[len(_PREFIX) :].lower(), expected):
        return refused("wrong or missing X-Hub-Signature-256", 403)
    try:
        body = json_body(request)
        if not isinstance(body, dict):
            raise ValueError("a webhook is a JSON object")
        messages = parse_webhook(body)
    except ValueError as error:
        return refused(str(error), 400)
    do_receive_messages(messages)
    return accepted()
