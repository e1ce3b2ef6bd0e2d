"""The public report form with pictures, videos and voice notes: what a reporter sees."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from baraza.conftest import REPORT
from baraza.intake.models import Report
from baraza.media.models import Medium, MediumStatus
from baraza.media.tests import files

pytestmark = pytest.mark.django_db

TYPED = {**REPORT, "url": "https://example.com/post/77", "contact": "reporter@example.com"}


def post_form(client: Client, paths: list[Path], fields: dict[str, str] | None = None) -> Any:
    handles = [path.open("rb") for path in paths]
    try:
        data: dict[str, Any] = dict(TYPED if fields is None else fields)
        if handles:
            data["media"] = handles
        return client.post("/", data)
    finally:
        for handle in handles:
            handle.close()


def test_the_form_offers_a_file_input_that_works_without_javascript(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<input type="file" id="media" name="media" multiple' in html
    assert 'accept="image/*,video/*,audio/*"' in html
    assert '<label for="media">' in html
    assert "<script" not in html
    assert len(response.content) < 50 * 1024


@override_settings(MAX_MEDIA_FILES=3, MAX_MEDIA_BYTES=5 * 1024 * 1024)
def test_the_form_tells_reporters_the_caps_and_that_metadata_is_removed(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "Up to 3 files of at most 5 MB each." in html
    assert "Location and device details are removed before reviewers see your files." in html


@override_settings(MAX_MEDIA_FILES=0)
def test_a_deployment_that_takes_no_files_shows_no_file_input(client: Client) -> None:
    assert 'type="file"' not in client.get("/").content.decode()


def test_a_report_with_a_photo_is_kept_with_its_medium_and_a_tracking_code(
    client: Client, tmp_path: Path, placed: Callable[[], AbstractContextManager[Any]]
) -> None:
    photo = files.make_jpeg(tmp_path / "IMG_2041.jpg", (640, 480))
    with placed():
        response = post_form(client, [photo])
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == f"/submitted/{report.display_code}/"
    assert report.channel == "web" and report.media_count == 1
    medium = Medium.objects.get(report=report)
    assert (medium.kind, medium.mime) == ("image", "image/jpeg")
    assert medium.status == MediumStatus.READY
    page = client.get(response["Location"]).content.decode()
    assert report.display_code in page


def test_a_photo_alone_is_a_report(client: Client, tmp_path: Path) -> None:
    photo = files.make_jpeg(tmp_path / "meme.jpg", (400, 300))
    fields = {k: v for k, v in REPORT.items() if k != "text"}
    response = post_form(client, [photo], fields)
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.text, report.url, report.media_count) == ("", "", 1)


def test_a_report_without_text_url_or_file_is_still_refused(client: Client) -> None:
    fields = {k: v for k, v in REPORT.items() if k != "text"}
    response = post_form(client, [], fields)
    assert response.status_code == 422
    assert "needs a text or a url" in response.content.decode()


def assert_came_back_with_typed_values(response: Any) -> str:
    html = response.content.decode()
    assert TYPED["text"] in html
    assert 'value="https://example.com/post/77"' in html
    assert 'value="reporter@example.com"' in html
    assert 'whatsapp" selected' in html
    assert 'id="media-error"' in html
    assert "please choose them again" in html
    assert not Report.objects.exists() and not Medium.objects.exists()
    return html


@override_settings(MAX_MEDIA_FILES=2)
def test_too_many_files_are_refused_next_to_the_file_input(client: Client, tmp_path: Path) -> None:
    photos = [files.make_jpeg(tmp_path / f"p{n}.jpg", (64, 48), seed=n) for n in range(3)]
    response = post_form(client, photos)
    assert response.status_code == 422
    html = assert_came_back_with_typed_values(response)
    assert "at most 2 files; 3 were sent" in html


@override_settings(MAX_MEDIA_BYTES=2048)
def test_a_file_over_the_size_cap_is_refused_with_its_name(client: Client, tmp_path: Path) -> None:
    photo = files.make_jpeg(tmp_path / "big_rally.jpg", (640, 480))
    response = post_form(client, [photo])
    assert response.status_code == 413
    html = assert_came_back_with_typed_values(response)
    assert "big_rally.jpg is larger than" in html


def test_a_text_file_named_like_a_picture_is_refused_with_its_name(
    client: Client, tmp_path: Path
) -> None:
    fake = tmp_path / "ballots.jpg"
    fake.write_text("not a picture at all, only words pretending to be a JPEG\n" * 20)
    response = post_form(client, [fake])
    assert response.status_code == 422
    html = assert_came_back_with_typed_values(response)
    assert "ballots.jpg:" in html
