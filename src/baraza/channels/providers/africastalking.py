"""SMS through Africa's Talking: its bulk SMS API sends, its incoming-message callback receives
(webhooks/sms.py).

Plain HTTP through `call`; Africa's Talking's SDK would add a dependency for one POST. The API
answers each send with one status per recipient (https://docs.africastalking.com/sms/sending):
100-102 mean it took the message, 401-409 that it never will (risk hold, invalid number,
blacklisted user...), 500-502 that its gateway failed and a later try may work. An answer we
cannot read is a final failure: the message may have gone, and a retry could send it twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from baraza.channels.incoming import IncomingMessage, urls_in
from baraza.channels.models import Provider
from baraza.channels.providers import ChatProvider, Outgoing, SendFailed, call
from baraza.channels.providers.sms import shorten
from baraza.intake.models import Channel, Platform

ACCEPTED = range(100, 103)  # Processed, Sent, Queued
RETRYABLE = range(500, 503)  # InternalServerError, GatewayError, RejectedByGateway


def _recipient(data: Any) -> dict[str, Any]:
    """The one recipient's result in a send's answer; a final SendFailed when there is none
    (Africa's Talking answers an empty list for a number it cannot read)."""
    if not isinstance(data, dict) or not isinstance(data.get("SMSMessageData"), dict):
        raise SendFailed(f"unexpected answer from Africa's Talking: {data!r:.300}", retry=False)
    message_data = data["SMSMessageData"]
    recipients = message_data.get("Recipients")
    if not isinstance(recipients, list) or not recipients or not isinstance(recipients[0], dict):
        raise SendFailed(f"no recipient took it: {message_data.get('Message', '')}", retry=False)
    recipient: dict[str, Any] = recipients[0]
    return recipient


def _status_code(recipient: dict[str, Any]) -> int:
    try:
        return int(recipient.get("statusCode", 0))
    except (TypeError, ValueError):
        return 0


class AfricasTalking(ChatProvider):
    name = Provider.AFRICASTALKING
    channel = Channel.SMS
    platform = Platform.OTHER
    settings_needed = (
        "AFRICASTALKING_USERNAME",
        "AFRICASTALKING_API_KEY",
        "AFRICASTALKING_CALLBACK_SECRET",
    )

    def send(self, message: Outgoing) -> str:
        form = {
            "username": settings.AFRICASTALKING_USERNAME or "",
            "to": message.address,
            "message": shorten(message.text, keep=message.report_code),
        }
        if settings.AFRICASTALKING_SENDER_ID:
            form["from"] = settings.AFRICASTALKING_SENDER_ID
        response = call(
            "POST",
            f"{settings.AFRICASTALKING_API_BASE}/version1/messaging",
            data=form,
            headers={"apiKey": settings.AFRICASTALKING_API_KEY or "", "Accept": "application/json"},
        )
        try:
            data = response.json()
        except ValueError as error:
            raise SendFailed(
                f"the answer is not JSON: {response.text[:300]}", retry=False
            ) from error
        recipient = _recipient(data)
        code = _status_code(recipient)
        if code in ACCEPTED:
            return str(recipient.get("messageId", ""))
        reason = f"{recipient.get('status') or 'unknown status'} ({code})"
        raise SendFailed(reason, retry=code in RETRYABLE)


def parse_callback(form: dict[str, str]) -> list[IncomingMessage]:
    """The message in an incoming-message callback
    (https://developers.africastalking.com/docs/sms/notifications): `from`, `to`, `text`,
    `date`, `id`, `linkId`, `networkCode`. An empty text makes nothing, and so do the other
    notifications, which name a `phoneNumber` instead of a `from` (delivery reports, opt-outs,
    subscriptions: sent here when the dashboard points them at this URL). A message without a
    sender or an id is not one Africa's Talking sends (ValueError)."""
    if "from" not in form and form.get("phoneNumber"):
        return []
    sender = form.get("from", "").strip()
    message_id = form.get("id", "").strip()
    if not sender or not message_id:
        raise ValueError("an incoming message has a `from` and an `id`")
    text = form.get("text", "")
    if not text.strip():
        return []
    return [
        IncomingMessage(
            provider=Provider.AFRICASTALKING,
            message_id=message_id,
            address=sender,
            text=text,
            urls=tuple(urls_in(text)),
            sent_at=_date(form.get("date", "")),
        )
    ]


def _date(value: str) -> datetime | None:
    """The callback's `date` ("2024-08-09 07:48:32" or ISO 8601, UTC when it names no zone);
    a date we cannot read is no reason to lose the message."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
