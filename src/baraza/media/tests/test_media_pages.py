"""The media a page shows, by session: derivatives and thumbnails for those who see the report,
the audited download of an original for its owner's secretariat, and a member's choice to see
pictures unblurred. Each for one person with access, one of another organisation, one anonymous."""

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
from baraza.conftest import PASSWORD, REPORT, People, Person
from baraza.intake.actions import do_submit_report
from baraza.intake.attachments import media_handler
from baraza.intake.models import Channel
from baraza.intake.validation import ReportIn
from baraza.media import storage
from baraza.media.actions import shows_unblurred
from baraza.media.models import Medium, MediumStatus
from baraza.media.tests import files
from baraza.media.upload import BytesUpload

pytestmark = pytest.mark.django_db

Placed = Callable[[], AbstractContextManager[Any]]


@pytest.fixture
def medium(people: People, placed: Placed, tmp_path: Path) -> Medium:
    """The photo of an amber report by Ukweli's monitor, processed."""
    photo = files.make_jpeg(tmp_path / "IMG_0042.jpg", (640, 480), gps_exif=True)
    data = ReportIn.model_validate({**REPORT, "tlp": "amber"})
    with placed(), media_handler().checked([BytesUpload(photo.name, photo.read_bytes())]) as ok:
        do_submit_report(data, member=people.amina.member, channel=Channel.API, files=ok)
    return Medium.objects.get()


@pytest.fixture
def coordinator(people: People) -> Person:
    """The secretariat of Ukweli, the report's owner."""
    created = do_create_member(
        org_slug="ukweli", role="secretariat", email="coord@ukweli.example", password=PASSWORD
    )
    return Person(created.member, created.token)


def as_(client: Client, person: Person | None) -> Client:
    client.logout()
    if person is not None:
        assert client.login(username=person.member.user.email, password=PASSWORD)
    return client


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_derivative_is_shown_to_those_who_see_the_report_without_metadata(
    client: Client, people: People, medium: Medium
) -> None:
    path = f"/media/{medium.pk}/derivative"
    response = as_(client, people.alice).get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    data = body(response)
    assert Image.open(BytesIO(data)).size == (640, 480)
    assert b"GPS" not in data and files.CAMERA_SERIAL.encode() not in data
    assert as_(client, people.bob).get(path).status_code == 404
    anonymous = as_(client, None).get(path)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_the_thumbnail_is_a_small_jpeg_for_the_same_people(
    client: Client, people: People, medium: Medium
) -> None:
    path = f"/media/{medium.pk}/thumbnail"
    response = as_(client, people.alice).get(path)
    assert response.status_code == 200
    assert max(Image.open(BytesIO(body(response))).size) <= 320
    assert as_(client, people.bob).get(path).status_code == 404
    assert as_(client, None).get(path).status_code == 302


def test_a_file_still_being_processed_is_not_served_yet(
    client: Client, people: People, medium: Medium
) -> None:
    Medium.objects.update(status=MediumStatus.PENDING)
    assert as_(client, people.alice).get(f"/media/{medium.pk}/derivative").status_code == 404
    assert as_(client, people.alice).get(f"/media/{medium.pk}/thumbnail").status_code == 404


def test_the_owners_secretariat_downloads_the_original_and_it_is_recorded(
    client: Client, people: People, medium: Medium, coordinator: Person
) -> None:
    response = as_(client, coordinator).post(f"/media/{medium.pk}/original")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    assert response.content == storage.read_original(medium.sha256)
    assert files.CAMERA_SERIAL.encode() in response.content  # the evidence, as sent
    event = AuditEvent.objects.get(action="media.original_downloaded")
    assert event.actor == coordinator.member.user


def test_no_one_else_downloads_an_original_and_nothing_is_recorded(
    client: Client, people: People, medium: Medium
) -> None:
    path = f"/media/{medium.pk}/original"
    assert as_(client, people.alice).post(path).status_code == 403  # a reviewer of the owner
    assert as_(client, people.bob).post(path).status_code == 404  # another organisation
    anonymous = as_(client, None).post(path)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert not AuditEvent.objects.filter(action="media.original_downloaded").exists()


def test_an_original_is_never_fetched_by_a_link(
    client: Client, medium: Medium, coordinator: Person
) -> None:
    assert as_(client, coordinator).get(f"/media/{medium.pk}/original").status_code == 405
    assert not AuditEvent.objects.filter(action="media.original_downloaded").exists()


def test_an_original_needs_the_csrf_token(medium: Medium, coordinator: Person) -> None:
    strict = as_(Client(enforce_csrf_checks=True), coordinator)
    assert strict.post(f"/media/{medium.pk}/original").status_code == 403
    assert not AuditEvent.objects.filter(action="media.original_downloaded").exists()


def test_a_member_chooses_to_see_pictures_unblurred_and_it_is_recorded(
    client: Client, people: People
) -> None:
    as_(client, people.alice)
    response = client.post("/media/viewing/", {"show_unblurred": "on", "next": "/cases/7/"})
    assert response.status_code == 302 and response["Location"] == "/cases/7/"
    assert shows_unblurred(people.alice.member)
    assert not shows_unblurred(people.bob.member)
    event = AuditEvent.objects.get(action="media.viewing_changed")
    assert event.actor == people.alice.member.user and event.payload["show_unblurred"] is True
    client.post("/media/viewing/", {"next": "/cases/7/"})  # the box unticked
    assert not shows_unblurred(people.alice.member)
    assert AuditEvent.objects.filter(action="media.viewing_changed").count() == 2


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/cases/", "//evil.example/", "javascript:alert(1)", "", "https:/\\evil"],
)
def test_the_choice_never_sends_a_member_to_another_site(
    client: Client, people: People, target: str
) -> None:
    response = as_(client, people.alice).post(
        "/media/viewing/", {"show_unblurred": "on", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_strangers_cannot_choose_and_nothing_is_recorded(client: Client, people: People) -> None:
    response = as_(client, None).post("/media/viewing/", {"show_unblurred": "on"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not AuditEvent.objects.filter(action="media.viewing_changed").exists()
