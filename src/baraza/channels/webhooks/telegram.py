"""POST /channels/telegram/webhook, authenticated by Telegram's secret-token header."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from baraza.channels.actions import do_receive_messages
from baraza.channels.providers.telegram import parse_update
from baraza.channels.webhooks import accepted, json_body, refused, same_secret


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    if not settings.TELEGRAM_WEBHOOK_SECRET:
        return refused("the Telegram channel is not configured", 404)
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
    if not same_secret(given, settings.TELEGRAM_WEBHOOK_SECRET):
        return refused("wrong or missing X-Telegram-Bot-Api-Secret-Token", 403)
    try:
        body = json_body(request)
        if not isinstance(body, dict):
            raise ValueError("an update is a JSON object")
        messages = parse_update(body)
    except ValueError as error:
        return refused(str(error), 400)
    do_receive_messages(messages)
    return accepted()
