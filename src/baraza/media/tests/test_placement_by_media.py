"""A report whose media match a case's joins that case, under the same audience rules as text."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image, ImageDraw

from baraza.accounts.actions import do_create_member
from baraza.cases.actions import do_share_case
from baraza.cases.models import Case, CaseReport, CaseSuggestion
from baraza.conftest import People
from baraza.intake.models import Report
from baraza.media.models import Medium
from baraza.media.tests import files

pytestmark = pytest.mark.django_db

BASE = {"platform": "whatsapp", "country": "KE", "category": "disinformation"}
TEXTS = [
    "Forwarded many times: the electoral commission chair was arrested this morning.",
    "Look at this crowd, they say the opposition rally was paid for with county funds.",
    "Is this real? Someone says the ballot papers were printed abroad secretly.",
]

Submit = Callable[..., Report]


@pytest.fixture
def submit(
    client: Client, people: People, placed: Callable[[], AbstractContextManager[Any]]
) -> Submit:
    def send(path: Path, text: str, by: Any = None, **fields: Any) -> Report:
        headers = (by or people.amina).auth
        payload = {**BASE, "text": text, **fields}
        with placed(), path.open("rb") as handle:
            response = client.post(
                "/api/reports", {"payload": json.dumps(payload), "media": [handle]}, headers=headers
            )
        assert response.status_code == 201, response.content
        return Report.objects.order_by("-pk").first()  # type: ignore[return-value]

    return send


def _case(report: Report) -> int:
    return CaseReport.objects.get(report=report).case_id


def _resized_recompressed(source: Path, target: Path) -> Path:
    image = Image.open(source).convert("RGB")
    image.resize((image.width // 2, image.height // 2)).save(target, "JPEG", quality=40)
    return target


def _captioned(source: Path, target: Path) -> Path:
    image = Image.open(source).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, image.height - 40, image.width, image.height), fill="black")
    draw.text((10, image.height - 30), "SHARE BEFORE THEY DELETE", fill="white")
    image.save(target, "JPEG", quality=80)
    return target


def test_a_resized_recompressed_copy_joins_the_case_of_the_original(
    submit: Submit, tmp_path: Path
) -> None:
    original = files.make_jpeg(tmp_path / "a.jpg", (1024, 768), seed=7)
    first = submit(original, TEXTS[0])
    copy = submit(_resized_recompressed(original, tmp_path / "b.jpg"), TEXTS[1])
    assert _case(copy) == _case(first)
    link = CaseReport.objects.get(report=copy)
    assert link.reason == CaseReport.Reason.SIMILAR_MEDIA


def test_a_captioned_copy_joins_too(submit: Submit, tmp_path: Path) -> None:
    original = files.make_jpeg(tmp_path / "a.jpg", (1024, 768), seed=3)
    first = submit(original, TEXTS[0])
    meme = submit(_captioned(original, tmp_path / "m.jpg"), TEXTS[2])
    assert _case(meme) == _case(first)


def test_the_same_file_is_the_same_content(submit: Submit, tmp_path: Path) -> None:
    original = files.make_jpeg(tmp_path / "a.jpg", (800, 600), seed=1)
    first = submit(original, TEXTS[0])
    again = submit(original, TEXTS[1])
    assert _case(again) == _case(first)
    assert CaseReport.objects.get(report=again).reason == CaseReport.Reason.SAME_MEDIA
    media = Medium.objects.filter(sha256=Medium.objects.first().sha256)  # type: ignore[union-attr]
    assert media.count() == 2


def test_an_unrelated_picture_opens_its_own_case(submit: Submit, tmp_path: Path) -> None:
    first = submit(files.make_jpeg(tmp_path / "a.jpg", (800, 600), seed=1), TEXTS[0])
    other = submit(files.make_jpeg(tmp_path / "b.jpg", (800, 600), seed=2), TEXTS[1])
    assert _case(other) != _case(first)


def test_media_never_join_cases_of_another_audience(
    submit: Submit, tmp_path: Path, people: People
) -> None:
    original = files.make_jpeg(tmp_path / "a.jpg", (1024, 768), seed=5)
    ours = submit(original, TEXTS[0], by=people.amina)  # amber, Ukweli
    theirs = submit(_resized_recompressed(original, tmp_path / "b.jpg"), TEXTS[1], by=people.bob)
    assert _case(theirs) != _case(ours)


def test_a_flat_picture_of_low_quality_is_never_linked_by_itself(
    submit: Submit, tmp_path: Path
) -> None:
    flat = tmp_path / "flat.png"
    Image.new("RGB", (400, 300), (200, 30, 30)).save(flat)
    also_flat = tmp_path / "flat2.png"
    Image.new("RGB", (400, 300), (30, 30, 200)).save(also_flat)
    first = submit(flat, TEXTS[0])
    second = submit(also_flat, TEXTS[1])
    assert (Medium.objects.filter(report=first).get().pdq_quality or 0) < 50
    assert _case(second) != _case(first)


def test_words_in_a_picture_are_matched_like_typed_words(
    submit: Submit, tmp_path: Path, make_report: Callable[..., Report], people: People
) -> None:
    claim = "POLLING STATIONS IN KISUMU WILL CLOSE AT 2PM ON VOTING DAY"
    typed = make_report(by=people.amina, text=claim.capitalize() + ".")
    meme = files.make_text_image(tmp_path / "meme.png", claim.replace(" IN ", "\nIN "))
    pictured = submit(meme, "", category="voter_suppression")
    medium = Medium.objects.get(report=pictured)
    assert "KISUMU" in medium.ocr_text.upper()
    assert (
        _case(pictured) == _case(typed)
        or CaseSuggestion.objects.filter(
            case_id=_case(pictured), candidate_id=_case(typed)
        ).exists()
    )


def test_a_mirrored_copy_is_offered_as_a_link_but_never_joined_by_itself(
    submit: Submit, tmp_path: Path
) -> None:
    original = files.make_jpeg(tmp_path / "a.jpg", (1024, 768), seed=9)
    first = submit(original, TEXTS[0])
    mirrored = tmp_path / "m.jpg"
    Image.open(original).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(mirrored, quality=85)
    flipped = submit(mirrored, TEXTS[1])
    assert _case(flipped) != _case(first)
    assert CaseSuggestion.objects.filter(case_id=_case(flipped), candidate_id=_case(first)).exists()
    assert len(Medium.objects.get(report=flipped).pdq_turns) == 7


def test_a_case_shared_with_another_organisation_never_names_cases_it_cannot_see(
    submit: Submit, tmp_path: Path, people: People, client: Client
) -> None:
    coordinator = do_create_member(
        org_slug="ukweli", role="secretariat", email="coord@ukweli.example", password="x" * 12
    )
    original = files.make_jpeg(tmp_path / "a.jpg", (1024, 768), seed=13)
    first = submit(original, TEXTS[0])
    mirrored = tmp_path / "m.jpg"
    Image.open(original).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(mirrored, quality=85)
    second = submit(mirrored, TEXTS[1])
    hidden, shared = _case(first), _case(second)
    do_share_case(
        Case.objects.get(pk=shared),
        member=coordinator.member,
        organisations=[people.bob.organisation],
        people=[],
    )

    def offered(person: Any) -> list[int]:
        body = client.get(f"/api/cases/{shared}", headers=person.auth).json()
        return [pk for event in body["timeline"] for pk in event["details"].get("suggested", [])]

    assert hidden in offered(people.alice)
    assert client.get(f"/api/cases/{hidden}", headers=people.bob.auth).status_code == 404
    assert hidden not in offered(people.bob)
