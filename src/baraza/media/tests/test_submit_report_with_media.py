"""submit_report with files: multipart/form-data, a `payload` part and `media` parts."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings

from baraza.audit.models import AuditEvent
from baraza.intake.models import Report
from baraza.media.models import Medium, MediumStatus
from baraza.media.tests import files
from baraza.media.tests.submit import post_with_media

PAYLOAD = {
    "text": "This photo shows ballot boxes stuffed in Kisumu before voting began.",
    "platform": "whatsapp",
    "country": "KE",
    "category": "disinformation",
}

pytestmark = pytest.mark.django_db


def submit(
    client: Client,
    paths: list[Path],
    payload: dict[str, Any] | None = None,
    **headers: str,
) -> Any:
    return post_with_media(client, paths, PAYLOAD if payload is None else payload, headers)


def error_fields(response: Any) -> dict[str, str]:
    body = response.json()
    if isinstance(body["detail"], list):
        return {str(e["loc"][-1]): e["msg"] for e in body["detail"]}
    return {str(body.get("field")): body["detail"]}


def test_it_accepts_a_photo_with_a_report_and_processes_it(
    client: Client, tmp_path: Path, placed: Callable[[], AbstractContextManager[Any]]
) -> None:
    photo = files.make_jpeg(tmp_path / "IMG_2041.jpg", (800, 600))
    with placed():
        response = submit(client, [photo])
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    medium = Medium.objects.get(report=report)
    assert report.media_count == 1
    assert (medium.kind, medium.mime) == ("image", "image/jpeg")
    assert medium.status == MediumStatus.READY
    assert len(medium.pdq) == 64 and medium.pdq_quality is not None
    assert (medium.width, medium.height) == (800, 600)
    assert report.case_link is not None  # placed once its media were ready


def test_a_report_may_be_a_picture_alone(client: Client, tmp_path: Path) -> None:
    payload = {k: v for k, v in PAYLOAD.items() if k != "text"}
    response = submit(client, [files.make_png(tmp_path / "a.png")], payload)
    assert response.status_code == 201, response.content
    assert Report.objects.get().text == ""


def test_a_report_without_text_url_or_file_is_still_refused(client: Client) -> None:
    payload = {k: v for k, v in PAYLOAD.items() if k != "text"}
    response = submit(client, [], payload)
    assert response.status_code == 422
    assert not Report.objects.exists()


def test_json_bodies_still_work(client: Client) -> None:
    response = client.post("/api/reports", PAYLOAD, content_type="application/json")
    assert response.status_code == 201


def test_a_multipart_body_without_payload_names_the_missing_fields(
    client: Client, tmp_path: Path
) -> None:
    with files.make_png(tmp_path / "b.png").open("rb") as picture:
        response = client.post("/api/reports", {"media": [picture]})
    assert response.status_code == 422
    assert {"platform", "country", "category"} <= set(error_fields(response))


@pytest.mark.parametrize(
    ("make", "kind", "mime"),
    [
        (lambda p: files.make_jpeg(p / "x.jpg"), "image", "image/jpeg"),
        (lambda p: files.make_png(p / "x.png"), "image", "image/png"),
        (lambda p: files.make_webp(p / "x.webp"), "image", "image/webp"),
        (lambda p: files.make_gif(p / "x.gif"), "image", "image/gif"),
        (lambda p: files.make_heic(p / "x.heic"), "image", "image/heic"),
        (lambda p: files.make_video(p / "x.mp4", "mp4", 1.5), "video", "video/mp4"),
        (lambda p: files.make_video(p / "x.webm", "webm", 1.5), "video", "video/webm"),
        (lambda p: files.make_video(p / "x.3gp", "3gp", 1.5), "video", "video/3gpp"),
        (lambda p: files.make_audio(p / "x.ogg", "ogg-opus", 2), "audio", "audio/ogg"),
        (lambda p: files.make_audio(p / "x.mp3", "mp3", 2), "audio", "audio/mpeg"),
        (lambda p: files.make_audio(p / "x.amr", "amr", 2), "audio", "audio/amr"),
        (lambda p: files.make_audio(p / "x.m4a", "m4a", 2), "audio", "audio/mp4"),
    ],
    ids=["jpeg", "png", "webp", "gif", "heic", "mp4", "webm", "3gp", "opus", "mp3", "amr", "m4a"],
)
def test_it_takes_each_kind_of_file_people_forward(
    client: Client,
    tmp_path: Path,
    placed: Callable[[], AbstractContextManager[Any]],
    make: Callable[[Path], Path],
    kind: str,
    mime: str,
) -> None:
    with placed():
        response = submit(client, [make(tmp_path)])
    assert response.status_code == 201, response.content
    medium = Medium.objects.get()
    assert (medium.kind, medium.mime) == (kind, mime)
    assert medium.status == MediumStatus.READY, medium.failure
    if kind == "video":
        assert medium.frame_hashes and medium.duration_s
    if kind == "audio":
        assert medium.duration_s


def test_a_text_file_named_like_a_photo_is_refused_by_name(client: Client, tmp_path: Path) -> None:
    fake = tmp_path / "ballots.jpg"
    fake.write_text("not a picture at all, just words pretending")
    response = submit(client, [files.make_png(tmp_path / "ok.png"), fake])
    assert response.status_code == 422
    message = error_fields(response)["media[1]"]
    assert "ballots.jpg" in message
    assert not Report.objects.exists() and not Medium.objects.exists()


def test_an_empty_file_is_refused(client: Client, tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    response = submit(client, [empty])
    assert response.status_code == 422
    assert "empty.jpg" in error_fields(response)["media[0]"]


def test_a_decompression_bomb_is_refused_on_its_header(client: Client, tmp_path: Path) -> None:
    response = submit(client, [files.png_bomb(tmp_path / "bomb.png")])
    assert response.status_code == 422
    assert "bomb.png" in error_fields(response)["media[0]"]


def test_a_truncated_video_is_refused(client: Client, tmp_path: Path) -> None:
    video = files.make_video(tmp_path / "clip.mp4", "mp4", 2)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(video.read_bytes()[: video.stat().st_size // 3])
    response = submit(client, [cut])
    assert response.status_code == 422
    assert "cut.mp4" in error_fields(response)["media[0]"]


@override_settings(MAX_AUDIO_SECONDS=1)
def test_a_sound_longer_than_the_cap_is_refused(client: Client, tmp_path: Path) -> None:
    response = submit(client, [files.make_audio(tmp_path / "long.ogg", "ogg-opus", 3)])
    assert response.status_code == 422
    assert "long.ogg" in error_fields(response)["media[0]"]


@override_settings(MAX_VIDEO_SECONDS=1)
def test_a_video_longer_than_the_cap_is_refused(client: Client, tmp_path: Path) -> None:
    response = submit(client, [files.make_video(tmp_path / "long.mp4", "mp4", 3)])
    assert response.status_code == 422
    assert "long.mp4" in error_fields(response)["media[0]"]


@override_settings(MAX_MEDIA_FILES=2)
def test_more_files_than_the_cap_are_refused(client: Client, tmp_path: Path) -> None:
    paths = [files.make_png(tmp_path / f"{n}.png", seed=n) for n in range(3)]
    response = submit(client, paths)
    assert response.status_code == 422
    assert "media" in error_fields(response)
    assert not Report.objects.exists()


@override_settings(MAX_MEDIA_BYTES=20_000, MAX_REPORT_MEDIA_BYTES=1_000_000)
def test_a_file_over_the_size_cap_is_a_413_naming_it(client: Client, tmp_path: Path) -> None:
    big = files.make_jpeg(tmp_path / "big.jpg", (1200, 900), quality=95)
    assert big.stat().st_size > 20_000
    response = submit(client, [big])
    assert response.status_code == 413
    body = response.json()
    assert body["field"] == "media[0]" and "big.jpg" in body["detail"]
    assert not Report.objects.exists()


@override_settings(MAX_MEDIA_BYTES=60_000, MAX_REPORT_MEDIA_BYTES=60_000)
def test_files_over_the_report_cap_together_are_a_413(client: Client, tmp_path: Path) -> None:
    paths = [files.make_jpeg(tmp_path / f"{n}.jpg", (400, 300), seed=n) for n in range(3)]
    assert sum(path.stat().st_size for path in paths) > 60_000
    assert all(path.stat().st_size < 60_000 for path in paths)
    response = submit(client, paths)
    assert response.status_code == 413
    assert response.json()["field"] == "media"


@override_settings(MAX_REQUEST_BYTES=2048, MAX_REPORT_MEDIA_BYTES=16 * 1024 * 1024)
def test_a_report_with_files_may_be_larger_than_a_plain_request(
    client: Client, tmp_path: Path
) -> None:
    photo = files.make_jpeg(tmp_path / "p.jpg", (640, 480))
    assert photo.stat().st_size > 2048
    assert submit(client, [photo]).status_code == 201
    too_big_json = {**PAYLOAD, "text": "x" * 3000}
    response = client.post("/api/reports", too_big_json, content_type="application/json")
    assert response.status_code == 413


def test_the_submission_is_recorded_with_its_files(client: Client, tmp_path: Path) -> None:
    submit(client, [files.make_png(tmp_path / "a.png"), files.make_png(tmp_path / "b.png", seed=2)])
    (event,) = AuditEvent.objects.filter(object_type="intake.report")
    assert event.action == "intake.report_submitted" and event.payload["files"] == 2
    assert "a.png" not in json.dumps(event.payload)  # names may identify people; never logged


@override_settings(MAX_REQUEST_BYTES=4096)
def test_a_payload_part_larger_than_a_json_body_may_be_is_refused_unread(
    client: Client, tmp_path: Path
) -> None:
    huge = {**PAYLOAD, "text": "word " * 20_000}
    response = submit(client, [files.make_png(tmp_path / "a.png")], huge)
    assert response.status_code == 400
    assert not Report.objects.exists()
