"""Who reads a report's media through the API: the list in get_report and get_case, the
derivative with the same token, and the audited original."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from baraza.accounts.actions import do_create_member
from baraza.audit.models import AuditEvent
from baraza.conftest import People, Person
from baraza.intake.models import Report
from baraza.media import storage
from baraza.media.models import Medium
from baraza.media.tests import files
from baraza.media.tests.submit import post_with_media

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "text": "A leaked photo of tally sheets changed overnight in Mombasa, shared widely.",
    "platform": "facebook",
    "country": "KE",
    "category": "disinformation",
}


@pytest.fixture
def photo_report(
    client: Client,
    tmp_path: Path,
    people: People,
    placed: Callable[[], AbstractContextManager[Any]],
) -> Report:
    """An amber report by Ukweli's monitor with a GPS-tagged photo."""
    photo = files.make_jpeg(tmp_path / "IMG_0001.jpg", (640, 480), gps_exif=True)
    with placed():
        response = post_with_media(client, [photo], PAYLOAD, people.amina.auth)
    assert response.status_code == 201, response.content
    return Report.objects.get()


def _get(client: Client, path: str, person: Person | None) -> Any:
    return client.get(path, headers=person.auth if person else {})


def test_get_report_lists_each_medium_for_those_who_see_the_report(
    client: Client, people: People, photo_report: Report
) -> None:
    body = _get(client, f"/api/reports/{photo_report.display_code}", people.alice).json()
    (medium,) = body["media"]
    assert medium["kind"] == "image" and medium["mime"] == "image/jpeg"
    assert len(medium["sha256"]) == 64 and len(medium["pdq"]) == 64
    assert (medium["width"], medium["height"]) == (640, 480)
    assert medium["derivative_url"].endswith(f"/api/media/{medium['id']}/derivative")
    other = _get(client, f"/api/reports/{photo_report.display_code}", people.bob)
    assert other.status_code == 404


def test_get_case_lists_the_media_of_its_reports(
    client: Client, people: People, photo_report: Report
) -> None:
    case_id = photo_report.case_link.case_id  # type: ignore[union-attr]
    body = _get(client, f"/api/cases/{case_id}", people.alice).json()
    assert [len(r["media"]) for r in body["reports"]] == [1]


def test_the_derivative_has_no_metadata_and_follows_the_reports_audience(
    client: Client, people: People, photo_report: Report
) -> None:
    medium = Medium.objects.get()
    path = f"/api/media/{medium.pk}/derivative"
    response = _get(client, path, people.alice)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert not Image.open(BytesIO(data)).getexif()
    assert b"Exif" not in data and b"GPS" not in data
    assert _get(client, path, people.bob).status_code == 404
    assert _get(client, path, None).status_code == 401


def test_the_thumbnail_is_a_small_jpeg(
    client: Client, people: People, photo_report: Report
) -> None:
    medium = Medium.objects.get()
    response = _get(client, f"/api/media/{medium.pk}/thumbnail", people.alice)
    assert response.status_code == 200
    image = Image.open(BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert max(image.size) <= 320


def test_the_original_is_kept_encrypted_at_rest(photo_report: Report, tmp_path: Path) -> None:
    medium = Medium.objects.get()
    with storage.media_storage().open(storage.original_name(medium.sha256), "rb") as kept:
        at_rest = kept.read()
    original = storage.read_original(medium.sha256)
    assert original[:3] == b"\xff\xd8\xff"  # the JPEG as sent
    assert at_rest.startswith(b"gAAAAA")  # a Fernet token
    assert all(original[n : n + 24] not in at_rest for n in range(0, len(original) - 24, 512))


def test_only_the_owners_secretariat_downloads_the_original_and_it_is_recorded(
    client: Client, people: People, photo_report: Report
) -> None:
    coordinator = do_create_member(
        org_slug="ukweli", role="secretariat", email="coord@ukweli.example", password="x" * 12
    )
    medium = Medium.objects.get()
    path = f"/api/media/{medium.pk}/original"
    response = client.get(path, headers={"Authorization": f"Bearer {coordinator.token}"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    assert response.content == storage.read_original(medium.sha256)
    event = AuditEvent.objects.get(action="media.original_downloaded")
    assert event.actor == coordinator.member.user
    assert _get(client, path, people.alice).status_code == 403  # a reviewer of the owner
    assert _get(client, path, people.bob).status_code == 404  # another organisation
    assert _get(client, path, None).status_code == 401
    assert AuditEvent.objects.filter(action="media.original_downloaded").count() == 1
