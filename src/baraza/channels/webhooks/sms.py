"""The SMS providers' inbound endpoints, both POSTed form-encoded bodies.

POST /channels/sms/africastalking/<secret>/: Africa's Talking signs nothing, so the callback URL
it is given carries a secret (compared in constant time), and the addresses it calls from can be
pinned (AFRICASTALKING_ALLOWED_ADDRESSES).

POST /channels/sms/twilio: signed with X-Twilio-Signature over the URL Twilio was given, which
is PUBLIC_URL and the path, not the host this request arrived at (a proxy may rewrite it). The
answer is empty TwiML, so Twilio sends nothing itself: the reply goes through the worker.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from baraza.channels.actions import do_receive_messages
from baraza.channels.providers.africastalking import AfricasTalking, parse_callback
from baraza.channels.providers.twilio import Twilio, parse_webhook, signed_by_twilio
from baraza.channels.webhooks import accepted, refused, same_secret
from baraza.middleware import client_ip

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def _form(request: HttpRequest) -> list[tuple[str, str]]:
    """Every (name, value) of the form body, a name sent twice included; ValueError for a
    body that is not a form."""
    try:
        return [(name, value) for name, values in request.POST.lists() for value in values]
    except (MultiPartParserError, UnicodeDecodeError) as error:
        raise ValueError(f"the body is not a form: {error}") from error


@csrf_exempt
@require_POST
def africastalking(request: HttpRequest, secret: str) -> HttpResponse:
    if not AfricasTalking().configured():
        return refused("the Africa's Talking channel is not configured", 404)
    if not same_secret(secret, settings.AFRICASTALKING_CALLBACK_SECRET):
        return refused("wrong callback secret", 403)
    allowed = settings.AFRICASTALKING_ALLOWED_ADDRESSES
    if allowed and client_ip(request) not in allowed:
        return refused("this address may not call the Africa's Talking callback", 403)
    try:
        messages = parse_callback(dict(_form(request)))
    except ValueError as error:
        return refused(str(error), 400)
    do_receive_messages(messages)
    return accepted()


@csrf_exempt
@require_POST
def twilio(request: HttpRequest) -> HttpResponse:
    if not Twilio().configured():
        return refused("the Twilio channel is not configured", 404)
    try:
        form = _form(request)
    except ValueError as error:
        return refused(str(error), 400)
    url = settings.PUBLIC_URL + request.get_full_path()
    given = request.headers.get("X-Twilio-Signature")
    if not signed_by_twilio(given, settings.TWILIO_AUTH_TOKEN or "", url, form):
        return refused("wrong or missing X-Twilio-Signature", 403)
    try:
        messages = parse_webhook(dict(form))
    except ValueError as error:
        return refused(str(error), 400)
    do_receive_messages(messages)
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
