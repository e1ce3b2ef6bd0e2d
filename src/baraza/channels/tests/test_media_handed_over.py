"""Pictures sent to a tipline become the report's media: checked like uploads, processed,
hashed, and matched with the cases' media (a chat's media arrive after its words, so a match is
offered to the report's case rather than moving the report)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from PIL import Image

from baraza.cases.models import CaseSuggestion
from baraza.channels import media_actions
from baraza.channels.models import InboundMessage
from baraza.channels.tasks import keep_media
from baraza.channels.tests.fake_telegram import FakeTelegram, send
from baraza.channels.tests.journeys import chat_report, messages_of
from baraza.channels.tests.test_media_kept import photo
from baraza.media.models import Medium, MediumStatus
from baraza.media.tests import files
from baraza.review.tests.helpers import case_of

pytestmark = pytest.mark.django_db

RUMOUR = "They are saying this photo shows the commission burning ballots in Eldoret tonight."


def test_a_telegram_photo_becomes_a_processed_medium_of_the_report(
    fake_telegram: FakeTelegram, client: Any, placed: Any, tmp_path: Path
) -> None:
    content = files.make_jpeg(tmp_path / "p.jpg", (640, 480)).read_bytes()
    fake_telegram.add_file("AgAD-photo", content)
    send(client, placed, None, 801, photo=photo("AgAD-photo", len(content)), caption=RUMOUR)

    report = chat_report("telegram")
    medium = Medium.objects.get(report=report)
    assert (medium.kind, medium.status) == ("image", MediumStatus.READY)
    [message] = messages_of("telegram")
    assert message.media[0]["medium"] == medium.pk


def test_a_file_that_is_no_picture_is_kept_but_named_refused(
    fake_telegram: FakeTelegram, client: Any, placed: Any
) -> None:
    fake_telegram.add_file("AgAD-junk", b"%PDF-1.4 not a picture at all" * 20)
    send(client, placed, None, 802, photo=photo("AgAD-junk", 580), caption=RUMOUR)

    [message] = messages_of("telegram")
    assert message.media[0]["kept"] is True and "refused" in message.media[0]
    assert not Medium.objects.exists()


def test_a_forwarded_copy_of_a_cases_picture_is_offered_to_that_case(
    fake_telegram: FakeTelegram,
    client: Any,
    placed: Any,
    tmp_path: Path,
    people: Any,
) -> None:
    original = files.make_jpeg(tmp_path / "o.jpg", (1024, 768), seed=11)
    payload = {"text": "Ballots burning?", "platform": "x", "country": "KE", "category": "other"}
    with placed(), original.open("rb") as handle:
        response = client.post("/api/reports", {"payload": json.dumps(payload), "media": [handle]})
    assert response.status_code == 201
    first_case = case_of(Medium.objects.get().report)  # type: ignore[arg-type]

    copy = tmp_path / "c.jpg"
    Image.open(original).resize((512, 384)).save(copy, "JPEG", quality=50)
    fake_telegram.add_file("AgAD-copy", copy.read_bytes())
    send(client, placed, None, 803, photo=photo("AgAD-copy", copy.stat().st_size), caption=RUMOUR)

    chat_case = case_of(chat_report("telegram"))
    assert chat_case != first_case
    assert CaseSuggestion.objects.filter(case=chat_case, candidate=first_case).exists()


def test_a_failed_handover_is_tried_again_and_loses_nothing(
    fake_telegram: FakeTelegram,
    client: Any,
    placed: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content = files.make_jpeg(tmp_path / "p.jpg", (320, 240)).read_bytes()
    fake_telegram.add_file("AgAD-later", content)
    real = media_actions.do_attach_media
    calls = []

    def locked_once(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(*args)

    monkeypatch.setattr(media_actions, "do_attach_media", locked_once)
    send(client, placed, None, 804, photo=photo("AgAD-later", len(content)), caption=RUMOUR)
    [message] = messages_of("telegram")
    assert "medium" not in message.media[0] and message.media_due_at is not None

    InboundMessage.objects.update(media_due_at=timezone.now() - timedelta(seconds=1))
    with placed():
        keep_media(message.pk)
    message.refresh_from_db()
    assert Medium.objects.get(report=chat_report("telegram")).pk == message.media[0]["medium"]
