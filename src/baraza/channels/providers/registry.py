"""Every provider this deployment can speak to, by name."""

from __future__ import annotations

from baraza.channels.models import Provider
from baraza.channels.providers import ChatProvider
from baraza.channels.providers.africastalking import AfricasTalking
from baraza.channels.providers.email import Email
from baraza.channels.providers.telegram import Telegram
from baraza.channels.providers.twilio import Twilio
from baraza.channels.providers.whatsapp import WhatsApp

PROVIDERS: dict[Provider, ChatProvider] = {
    Provider.TELEGRAM: Telegram(),
    Provider.WHATSAPP: WhatsApp(),
    Provider.AFRICASTALKING: AfricasTalking(),
    Provider.TWILIO: Twilio(),
    Provider.EMAIL: Email(),
}
