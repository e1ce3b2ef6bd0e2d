"""The chat-provider seam: one class per provider, each knowing its settings, how to send a
message through the provider's real API and which report channel and platform it stands for.
Inbound parsing lives next to each webhook (channels/views.py calls the provider's module).

Tests talk to fake upstreams on loopback that speak each provider's HTTP API
(channels/tests/fakes.py), pointed at by the BARAZA_*_API_BASE settings: the double is the
upstream, never this code.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from django.conf import settings

from baraza.channels.models import Provider


class SendFailed(Exception):
    """The provider did not take the message. `retry`: worth trying again later (429, 5xx, a
    timeout); otherwise the failure is final (a bad token, a blocked bot, a wrong number)."""

    def __init__(self, reason: str, *, retry: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason[:500]
        self.retry = retry
        self.retry_after = retry_after


@dataclass(frozen=True)
class Outgoing:
    address: str
    text: str
    kind: str  # OutboundKind
    language: str
    last_inbound_at: datetime | None  # WhatsApp's 24-hour window starts here
    report_code: str = ""  # the tracking code the message is about, if any
    subject: str = ""  # e-mail only: the subject of the message answered


class ChatProvider(ABC):
    name: Provider
    channel: str  # the report's channel (intake.models.Channel)
    platform: str  # the report's platform when the message does not link elsewhere
    settings_needed: tuple[str, ...] = ()

    def missing_settings(self) -> list[str]:
        return [name for name in self.settings_needed if not getattr(settings, name, None)]

    def configured(self) -> bool:
        return not self.missing_settings()

    @abstractmethod
    def send(self, message: Outgoing) -> str:
        """Send and return the provider's message id(s); raise SendFailed otherwise."""


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def call(method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One request to a provider's API: timeouts and 429/5xx become a retryable SendFailed,
    other 4xx a final one, carrying the provider's own words."""
    try:
        response = httpx.request(
            method, url, timeout=settings.CHANNEL_SEND_TIMEOUT_SECONDS, **kwargs
        )
    except httpx.TimeoutException as error:
        raise SendFailed(f"timed out: {error}", retry=True) from error
    except httpx.TransportError as error:
        raise SendFailed(f"could not connect: {error}", retry=True) from error
    if response.status_code == 429 or response.status_code >= 500:
        raise SendFailed(
            f"HTTP {response.status_code}: {response.text[:300]}",
            retry=True,
            retry_after=_retry_after(response),
        )
    if response.status_code >= 400:
        raise SendFailed(f"HTTP {response.status_code}: {response.text[:300]}", retry=False)
    return response


def get_provider(name: str) -> ChatProvider:
    from baraza.channels.providers.registry import PROVIDERS

    return PROVIDERS[Provider(name)]


def all_providers() -> list[ChatProvider]:
    from baraza.channels.providers.registry import PROVIDERS

    return list(PROVIDERS.values())
