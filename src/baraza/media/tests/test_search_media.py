"""search_media: a member sends a file and learns which cases they may see, and which
fact-checks, hold media like it; nothing is kept, and no hidden case is revealed."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from baraza.conftest import People, Person
from baraza.intake.models import Report
from baraza.matching.models import FactCheck
from baraza.media.actions import do_add_factcheck_media
from baraza.media.models import Medium
from baraza.media.tests import files
from baraza.media.tests.submit import post_with_media
from baraza.media.upload import PathUpload
from baraza.testing import field_errors

pytestmark = pytest.mark.django_db

Placed = Callable[[], AbstractContextManager[Any]]
URL = "/api/media/search"


def forwarded(source: Path, target: Path) -> Path:
    image = Image.open(source).convert("RGB")
    image.resize((image.width * 3 // 5, image.height * 3 // 5)).save(target, "JPEG", quality=45)
    return target


def search(client: Client, path: Path, person: Person | None) -> Any:
    with path.open("rb") as handle:
        return client.post(URL, {"file": handle}, headers=person.auth if person else {})


def factcheck_with(
    path: Path, placed: Placed, claim: str = "Ballots burned in Kisumu"
) -> FactCheck:
    factcheck = FactCheck.objects.create(
        claim=claim,
        rating="False",
        url=f"https://ukweli.example/{path.stem}",
        fingerprint=path.stem,
    )
    with placed():
        done = do_add_factcheck_media(factcheck, [PathUpload(path)], None)
    assert len(done.added) == 1
    return factcheck


@pytest.fixture
def amber_report(client: Client, people: People, placed: Placed, tmp_path: Path) -> Report:
    """An amber report by Ukweli's monitor with a photo, placed in a case."""
    photo = files.make_jpeg(tmp_path / "tally.jpg", (800, 600), seed=21)
    payload = {
        "text": "Tally sheets changed overnight in Mombasa, this photo proves it.",
        "platform": "facebook",
        "country": "KE",
        "category": "disinformation",
        "tlp": "amber",
    }
    with placed():
        response = post_with_media(client, [photo], payload, people.amina.auth)
    assert response.status_code == 201, response.content
    return Report.objects.get()


def test_a_member_of_the_owning_organisation_finds_the_case_of_a_forwarded_copy(
    client: Client, people: People, amber_report: Report, tmp_path: Path
) -> None:
    copy = forwarded(tmp_path / "tally.jpg", tmp_path / "forwarded.jpg")
    media_before = Medium.objects.count()

    response = search(client, copy, people.alice)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "image" and len(body["pdq"]) == 64
    (case,) = body["cases"]
    assert case["case_id"] == amber_report.case_link.case_id  # type: ignore[union-attr]
    assert case["reports"] == 1 and case["distance"] <= 31 and 0.85 < case["score"] <= 1
    assert body["factchecks"] == []
    assert Medium.objects.count() == media_before  # nothing kept


def test_a_mirrored_copy_finds_the_case_as_a_weaker_match(
    client: Client, people: People, amber_report: Report, tmp_path: Path
) -> None:
    mirrored = tmp_path / "mirrored.jpg"
    Image.open(tmp_path / "tally.jpg").transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(mirrored)
    body = search(client, mirrored, people.alice).json()
    (case,) = body["cases"]
    assert case["case_id"] == amber_report.case_link.case_id  # type: ignore[union-attr]
    assert case["strong"] is False


def test_another_organisation_sees_no_amber_case_but_sees_the_factchecks(
    client: Client, people: People, amber_report: Report, placed: Placed, tmp_path: Path
) -> None:
    factcheck = factcheck_with(tmp_path / "tally.jpg", placed)
    copy = forwarded(tmp_path / "tally.jpg", tmp_path / "forwarded.jpg")

    body = search(client, copy, people.bob).json()

    assert body["cases"] == []
    (found,) = body["factchecks"]
    assert (found["id"], found["claim"], found["rating"], found["url"]) == (
        factcheck.pk,
        factcheck.claim,
        "False",
        factcheck.url,
    )
    assert found["strong"] is True and found["distance"] <= 16
    mine = search(client, copy, people.alice).json()
    assert len(mine["cases"]) == 1 and len(mine["factchecks"]) == 1


def test_anonymous_people_get_a_401(client: Client, amber_report: Report, tmp_path: Path) -> None:
    assert search(client, tmp_path / "tally.jpg", None).status_code == 401


def test_the_exact_file_is_found_even_before_it_is_processed(
    client: Client, people: People, amber_report: Report, tmp_path: Path
) -> None:
    Medium.objects.update(status="pending", pdq="")
    body = search(client, tmp_path / "tally.jpg", people.alice).json()
    assert [case["score"] for case in body["cases"]] == [1.0]


def test_a_sound_is_found_by_its_fingerprint_after_reencoding(
    client: Client, people: People, placed: Placed, tmp_path: Path
) -> None:
    voice = files.make_audio(tmp_path / "voice.ogg", "ogg-opus", 8.0, seed=4)
    factcheck = factcheck_with(voice, placed, "The chair admits rigging in a voice note")
    files.make_audio(tmp_path / "other.ogg", "ogg-opus", 8.0, seed=9)

    body = search(client, files.reencode_audio(voice, tmp_path / "v.mp3"), people.bob).json()
    unrelated = search(client, tmp_path / "other.ogg", people.bob).json()

    assert body["kind"] == "audio" and body["pdq"] is None
    assert [f["id"] for f in body["factchecks"]] == [factcheck.pk]
    assert body["factchecks"][0]["distance"] is None
    assert unrelated["factchecks"] == []


def test_a_video_is_found_by_its_frames_after_reencoding(
    client: Client, people: People, placed: Placed, tmp_path: Path
) -> None:
    clip = files.make_video(tmp_path / "rally.mp4", "mp4", 4.0, pattern="testsrc2")
    factcheck = factcheck_with(clip, placed, "A video shows a rally paid with county funds")

    smaller = files.reencode_video(clip, tmp_path / "small.mp4")
    body = search(client, smaller, people.carol).json()
    unrelated = files.make_video(tmp_path / "bars.mp4", "mp4", 4.0, pattern="mandelbrot")

    assert body["kind"] == "video"
    assert [f["id"] for f in body["factchecks"]] == [factcheck.pk]
    assert search(client, unrelated, people.carol).json()["factchecks"] == []


def test_a_file_of_another_type_is_a_422_on_file(
    client: Client, people: People, tmp_path: Path
) -> None:
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture, only words")
    assert "notes.jpg" in field_errors(search(client, text, people.alice))["file"]


def test_a_file_over_the_size_cap_is_a_413_on_file(
    client: Client, people: People, tmp_path: Path, settings: Any
) -> None:
    settings.MAX_MEDIA_BYTES = 2048
    photo = files.make_jpeg(tmp_path / "big.jpg", (640, 480))
    response = search(client, photo, people.alice)
    assert response.status_code == 413
    assert response.json()["field"] == "file"


def test_a_request_without_a_file_is_a_422(client: Client, people: People) -> None:
    response = client.post(URL, {}, headers=people.alice.auth)
    assert "file" in field_errors(response)


def test_searches_are_rate_limited_per_member(
    client: Client, people: People, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_SEARCH_RATE = "2/h"
    photo = files.make_png(tmp_path / "p.png")
    assert [search(client, photo, people.alice).status_code for _ in range(3)] == [200, 200, 429]
    assert search(client, photo, people.bob).status_code == 200
