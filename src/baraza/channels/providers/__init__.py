"""The chat-provider seam: one class per provider, each knowing its settings, how to send a
message through the provider's real API (and fetch the media people sent), and which report
channel and platform it stands for. Each provider's module also reads its inbound payloads;
its webhook (channels/webhooks/) calls that.

Tests talk to fake upstreams on loopback that speak each provider's HTTP API
(channels/tests/fake_*.py), pointed at by the BARAZA_*_API_BASE settings: the double is the
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


class ProviderFailed(Exception):
    """A provider's API did not do what was asked. `retry`: worth trying again later (429,
    5xx, a timeout); otherwise the failure is final (a bad token, a blocked bot, a wrong
    number, a media id that expired)."""

    def __init__(self, reason: str, *, retry: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason[:500]
        self.retry = retry
        self.retry_after = retry_after


class SendFailed(ProviderFailed):
    """The provider did not take the message."""


class FetchFailed(ProviderFailed):
    """The provider did not give the media's bytes. Its own class, not SendFailed: a failed
    download must never be read as a reply that was not sent, and it has an outcome of its own
    (`TooLarge`)."""


class TooLarge(FetchFailed):
    """The media is larger than BARAZA_CHANNEL_MEDIA_MAX_BYTES: final, nothing is kept."""

    def __init__(self, size: int | None = None) -> None:
        limit = settings.CHANNEL_MEDIA_MAX_BYTES
        said = f"{size} bytes" if size is not None else "more"
        super().__init__(f"{said}, over the limit of {limit} bytes", retry=False)


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
    # Whether the worker fetches a message's media from the provider (`fetch_media`).
    fetches_media = False

    def missing_settings(self) -> list[str]:
        return [name for name in self.settings_needed if not getattr(settings, name, None)]

    def configured(self) -> bool:
        return not self.missing_settings()

    @abstractmethod
    def send(self, message: Outgoing) -> str:
        """Send and return the provider's message id(s); raise SendFailed otherwise."""

    def fetch_media(self, media: dict[str, Any]) -> bytes:
        """The bytes of one media entry of a stored message (`incoming.Media.as_dict()`), at
        most BARAZA_CHANNEL_MEDIA_MAX_BYTES; FetchFailed (or TooLarge) otherwise. Providers
        that carry media say how; the others carry none."""
        raise FetchFailed(f"{self.name} carries no media to fetch", retry=False)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _refusal(response: httpx.Response, said: str, failure: type[ProviderFailed]) -> None:
    """429 and 5xx are worth another try, other 4xx are final; the provider's own words go
    with them."""
    status = response.status_code
    if status == 429 or status >= 500:
        raise failure(f"HTTP {status}: {said}", retry=True, retry_after=_retry_after(response))
    if status >= 400:
        raise failure(f"HTTP {status}: {said}", retry=False)


def _transport(error: httpx.TransportError, failure: type[ProviderFailed]) -> ProviderFailed:
    if isinstance(error, httpx.TimeoutException):
        return failure(f"timed out: {error}", retry=True)
    return failure(f"could not connect: {error}", retry=True)


def call(
    method: str, url: str, *, failure: type[ProviderFailed] = SendFailed, **kwargs: Any
) -> httpx.Response:
    """One request to a provider's API: timeouts and 429/5xx become a retryable `failure`
    (SendFailed unless told), other 4xx a final one, carrying the provider's own words."""
    try:
        response = httpx.request(
            method, url, timeout=settings.CHANNEL_SEND_TIMEOUT_SECONDS, **kwargs
        )
    except httpx.TransportError as error:
        raise _transport(error, failure) from error
    _refusal(response, response.text[:300], failure)
    return response


def download(url: str, **kwargs: Any) -> bytes:
    """GET a media file, streamed, and stop reading as soon as it passes
    BARAZA_CHANNEL_MEDIA_MAX_BYTES (TooLarge): a provider that understates a size, or says
    none, never makes us hold more. Failures are FetchFailed, as `call` maps them."""
    limit = settings.CHANNEL_MEDIA_MAX_BYTES
    timeout = settings.CHANNEL_SEND_TIMEOUT_SECONDS
    try:
        with httpx.stream("GET", url, timeout=timeout, **kwargs) as response:
            if response.status_code >= 400:
                _refusal(response, _first_words(response), FetchFailed)
            if not response.is_success:  # a redirect not followed: its body is no file
                raise FetchFailed(f"HTTP {response.status_code} instead of a file", retry=False)
            return _read_at_most(response, limit)
    except httpx.TransportError as error:
        raise _transport(error, FetchFailed) from error
    except httpx.RequestError as error:  # endless redirects, a body that does not decode
        raise FetchFailed(f"could not read it: {error!r}", retry=False) from error


def _first_words(response: httpx.Response) -> str:
    """The start of an error's body, without reading a large one to its end."""
    for chunk in response.iter_bytes(300):
        return chunk.decode("utf-8", "replace")[:300]
    return ""


def _read_at_most(response: httpx.Response, limit: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(int(declared))
    data = bytearray()
    for chunk in response.iter_bytes():
        data.extend(chunk)
        if len(data) > limit:
            raise TooLarge()  # leaving the stream closes the connection: the rest is not read
    return bytes(data)


def get_provider(name: str) -> ChatProvider:
    from baraza.channels.providers.registry import PROVIDERS

    return PROVIDERS[Provider(name)]


def all_providers() -> list[ChatProvider]:
    from baraza.channels.providers.registry import PROVIDERS

    return list(PROVIDERS.values())
