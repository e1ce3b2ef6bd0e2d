"""The known-media bank: fact-checks' pictures come in with `import-factchecks` and are found
again when a report carries a copy of them."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from baraza.audit.models import AuditEvent
from baraza.conftest import People
from baraza.intake.models import Report
from baraza.matching.models import FactCheck
from baraza.media.bank import known_factchecks
from baraza.media.models import Medium, MediumStatus
from baraza.media.tests import files
from baraza.media.tests.submit import post_with_media

pytestmark = pytest.mark.django_db

Placed = Callable[[], AbstractContextManager[Any]]


def claimreview(url: str, claim: str, **item: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "author": {"@type": "Organization", "name": "Ukweli Fact-Check"},
        "datePublished": "2026-02-01",
        "inLanguage": "en",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", **item},
    }


BURNED = "This photo shows ballots burned behind a tallying centre in Kisumu"


def import_factchecks(path: Path, placed: Placed) -> tuple[dict[str, Any], str]:
    out, err = StringIO(), StringIO()
    with placed():  # the files are processed after commit, as the worker would
        call_command("import_factchecks", str(path), "--org", "ukweli", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def recompressed(source: Path, target: Path) -> Path:
    """The picture as a messaging app forwards it: smaller and recompressed."""
    image = Image.open(source).convert("RGB")
    image.resize((image.width * 3 // 5, image.height * 3 // 5)).save(target, "JPEG", quality=45)
    return target


def submit_with(client: Client, people: People, placed: Placed, picture: Path) -> Report:
    payload = {
        "text": "Is this real? Burned ballots in Kisumu, shared in our group.",
        "platform": "whatsapp",
        "country": "KE",
        "category": "election_integrity",
    }
    with placed():
        response = post_with_media(client, [picture], payload, people.amina.auth)
    assert response.status_code == 201, response.content
    return Report.objects.order_by("-pk").first()  # type: ignore[return-value]


def test_a_report_with_a_recompressed_copy_of_a_factchecks_picture_finds_the_factcheck(
    client: Client, people: People, placed: Placed, tmp_path: Path
) -> None:
    feed = tmp_path / "feed"
    (feed / "photos").mkdir(parents=True)
    original = files.make_jpeg(feed / "photos" / "ballots.jpg", (800, 600), seed=3)
    appearance = {
        "@type": "CreativeWork",
        "url": "https://x.example/p/1",
        "image": "photos/ballots.jpg",
    }
    record = claimreview("https://ukweli.example/burned", BURNED, appearance=[appearance])
    (feed / "burned.jsonld").write_text(json.dumps(record))

    summary, errors = import_factchecks(feed, placed)

    assert (summary["created"], summary["media"]["added"], errors) == (1, 1, "")
    kept = Medium.objects.get(factcheck__isnull=False)
    assert kept.status == MediumStatus.READY and len(kept.pdq) == 64
    assert kept.organisation == people.alice.organisation
    report = submit_with(client, people, placed, recompressed(original, tmp_path / "fwd.jpg"))
    (match,) = known_factchecks(list(Medium.objects.filter(report=report)))
    assert match.factcheck.claim == BURNED
    assert match.medium.report_id == report.pk
    assert match.distance is not None and match.distance <= 31
    assert 0.85 < match.score <= 1


def test_a_picture_beside_the_claimreview_named_like_it_joins_its_factcheck(
    people: People, placed: Placed, tmp_path: Path
) -> None:
    (tmp_path / "burned.jsonld").write_text(
        json.dumps(claimreview("https://ukweli.example/burned", BURNED))
    )
    files.make_png(tmp_path / "burned.png", seed=5)
    files.make_png(tmp_path / "unrelated.png", seed=6)

    summary, _errors = import_factchecks(tmp_path, placed)

    assert summary["media"]["added"] == 1
    assert Medium.objects.get().factcheck == FactCheck.objects.get()


def test_a_refused_file_is_named_on_stderr_and_the_others_are_kept(
    people: People, placed: Placed, tmp_path: Path
) -> None:
    (tmp_path / "notes.jpg").write_text("this is not a picture at all, just words")
    files.make_png(tmp_path / "crowd.png", seed=7)
    files.make_audio(tmp_path / "voice.ogg", "ogg-opus", 4.0, seed=2)
    first = claimreview(
        "https://ukweli.example/crowd",
        "A photo shows a crowd paid to attend the rally",
        image=["notes.jpg", "crowd.png"],
        appearance={"associatedMedia": {"contentUrl": "https://cdn.example/video.mp4"}},
    )
    second = claimreview(
        "https://ukweli.example/voice",
        "A voice note of the commission chair admits rigging",
        associatedMedia=[{"@type": "AudioObject", "contentUrl": "voice.ogg"}],
    )
    third = claimreview("https://ukweli.example/secret", "Outside", image="../elsewhere/secret.jpg")
    (tmp_path / "feed.json").write_text(json.dumps([first, second, third]))

    summary, errors = import_factchecks(tmp_path, placed)

    assert summary["created"] == 3
    assert (summary["media"]["added"], summary["media"]["refused"]) == (2, 2)
    assert summary["media"]["not_fetched"] == [
        {"where": f"{tmp_path / 'feed.json'}#1", "url": "https://cdn.example/video.mp4"}
    ]
    lines = errors.strip().splitlines()
    assert len(lines) == 2
    assert any("notes.jpg" in line for line in lines)
    assert any("secret.jpg" in line and "outside" in line for line in lines)
    kinds = dict(Medium.objects.values_list("factcheck__url", "kind"))
    assert kinds == {
        "https://ukweli.example/crowd": "image",
        "https://ukweli.example/voice": "audio",
    }


def test_importing_the_same_feed_again_keeps_each_file_once(
    people: People, placed: Placed, tmp_path: Path
) -> None:
    (tmp_path / "burned.jsonld").write_text(
        json.dumps(claimreview("https://ukweli.example/burned", BURNED, image="burned-photo.jpg"))
    )
    files.make_jpeg(tmp_path / "burned-photo.jpg", seed=3)

    import_factchecks(tmp_path, placed)
    again, _errors = import_factchecks(tmp_path, placed)

    assert (again["duplicates"], again["media"]["added"], again["media"]["known"]) == (1, 0, 1)
    assert Medium.objects.count() == 1
    events = AuditEvent.objects.filter(action="media.factcheck_media_added")
    assert [event.payload["files"] for event in events] == [1]


def test_a_report_picture_unlike_any_factchecks_finds_none(
    client: Client, people: People, placed: Placed, tmp_path: Path
) -> None:
    (tmp_path / "burned.jsonld").write_text(
        json.dumps(claimreview("https://ukweli.example/burned", BURNED))
    )
    files.make_jpeg(tmp_path / "burned.jpg", seed=3)
    import_factchecks(tmp_path, placed)

    other = files.make_jpeg(tmp_path / "other.jpeg", seed=11)
    report = submit_with(client, people, placed, other)

    assert known_factchecks(list(Medium.objects.filter(report=report))) == []
