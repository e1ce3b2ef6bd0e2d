"""Fixtures of the tipline tests: each provider's fake upstream, started and configured."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from baraza.channels.tests.fake_sms import fake_africastalking, fake_twilio
from baraza.channels.tests.fake_telegram import SECRET, TOKEN, FakeTelegram
from baraza.channels.tests.fake_whatsapp import fake_graph
from baraza.channels.tests.upstream import running


@pytest.fixture(autouse=True)
def _own_media_store(tmp_path: Path, settings: Any) -> None:
    """Each test keeps media in its own folder: tests run side by side, and some count files."""
    settings.CHANNEL_MEDIA_DIR = tmp_path / "tipline-media"


@pytest.fixture
def fake_telegram(settings: Any) -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    settings.TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.TELEGRAM_API_BASE = fake.base_url
    yield from running(fake)


__all__ = ["fake_africastalking", "fake_graph", "fake_telegram", "fake_twilio"]
