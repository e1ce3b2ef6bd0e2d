"""What reviewers see: re-encoded copies in which nothing of the sender's metadata survives."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from baraza.media import derivatives
from baraza.media.derivatives import make_derivative, make_thumbnail
from baraza.media.probe import Limits, MediaKind, Probed, ProcessingFailed, probe
from baraza.media.tests import files

LIMITS = Limits(max_pixels=50_000_000, max_video_seconds=600, max_audio_seconds=600)
# Strings a photo's metadata carries in the test files, none of which may reach a reviewer.
# (GPS itself is binary EXIF tags: no "Exif" segment and an empty getexif() are its absence.)
SECRETS = [
    b"Exif",
    b"http://ns.adobe.com/xap",
    files.CAMERA_SERIAL.encode(),
    b"Baraza Test Camera",
    b"Secret Phone",
    b"Riverside",
    b"home-address",
]

# Tags every MP4 ffmpeg writes has, none of them about the sender.
CONTAINER_BOILERPLATE = {
    "major_brand", "minor_version", "compatible_brands", "language", "handler_name", "vendor_id",
    "encoder",
}  # fmt: skip


def streams_and_tags(path: Path) -> dict:
    command = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams"]
    done = subprocess.run([*command, str(path)], capture_output=True, check=True, timeout=30)  # noqa: S603
    return json.loads(done.stdout)


def all_tags(report: dict) -> dict[str, str]:
    tags = dict(report["format"].get("tags", {}))
    for stream in report["streams"]:
        tags.update(stream.get("tags", {}))
    return {key.lower(): value for key, value in tags.items()}


def derive(source: Path, workdir: Path):
    probed = probe(source, LIMITS)
    return probed, make_derivative(source, probed, workdir)


def test_a_photo_derivative_keeps_no_exif_gps_xmp_serial_or_comment(tmp_path):
    source = files.make_jpeg(tmp_path / "photo.jpg", (640, 480), gps_exif=True)
    original = source.read_bytes()
    assert all(secret in original for secret in SECRETS)  # the test file really carries them
    with Image.open(source) as photo:
        assert photo.getexif().get_ifd(0x8825)[2] == files.GPS_LATITUDE
        assert photo.info["icc_profile"]

    _, derivative = derive(source, tmp_path)

    assert derivative.mime == "image/jpeg"
    data = derivative.path.read_bytes()
    assert [secret for secret in SECRETS if secret in data] == []
    with Image.open(derivative.path) as seen:
        assert seen.format == "JPEG"
        assert dict(seen.getexif()) == {}
        assert seen.getexif().get_ifd(0x8825) == {}
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(seen.info)
        assert (seen.width, seen.height) == (640, 480)


def test_a_photo_is_turned_upright_as_its_exif_orientation_says(tmp_path):
    """Stored landscape, red on the left, with Orientation 6 (turn 90° clockwise to view):
    upright, the picture is portrait with the red at the top."""
    stored = Image.new("RGB", (200, 100), "blue")
    stored.paste((255, 0, 0), (0, 0, 100, 100))
    source = files.make_jpeg(tmp_path / "sideways.jpg", image=stored, orientation=6)

    _, derivative = derive(source, tmp_path)

    with Image.open(derivative.path) as seen:
        assert (seen.width, seen.height) == (100, 200)
        red, _, blue = seen.getpixel((50, 30))
        assert red > 200 and blue < 60
        red, _, blue = seen.getpixel((50, 170))
        assert blue > 200 and red < 60


def test_a_large_photo_is_shrunk_to_1600_pixels_on_its_long_side(tmp_path):
    source = files.make_jpeg(tmp_path / "big.jpg", (2000, 1500))
    _, derivative = derive(source, tmp_path)
    assert (derivative.width, derivative.height) == (1600, 1200)
    with Image.open(derivative.path) as seen:
        assert seen.size == (1600, 1200)


def test_transparency_is_laid_on_white(tmp_path):
    source = files.make_png(tmp_path / "sticker.png", (320, 240), mode="RGBA")
    _, derivative = derive(source, tmp_path)
    with Image.open(derivative.path) as seen:
        assert min(seen.getpixel((160, 10))) > 245  # the transparent band at the top
        assert seen.mode == "RGB"


def test_sixteen_bit_grey_keeps_its_tones(tmp_path):
    source = files.make_png(tmp_path / "grey16.png", (320, 240), mode="I;16")
    _, derivative = derive(source, tmp_path)
    with Image.open(derivative.path) as seen:
        tones = np.asarray(seen.convert("L"))
    assert 60 < tones.mean() < 200 and tones.std() > 20  # not clipped to white


def test_an_animated_gif_gives_its_first_frame(tmp_path):
    source = files.make_gif(tmp_path / "anim.gif", (160, 120), frames=3, seed=5)
    _, derivative = derive(source, tmp_path)
    first = np.asarray(files.photo((160, 120), 5), dtype=np.float32)
    with Image.open(derivative.path) as seen:
        shown = np.asarray(seen, dtype=np.float32)
    second = np.asarray(files.photo((160, 120), 6), dtype=np.float32)
    assert np.abs(shown - first).mean() < np.abs(shown - second).mean() / 2


def test_an_heic_photo_loses_its_exif_too(tmp_path):
    source = files.make_heic(tmp_path / "iphone.heic", (320, 240))
    _, derivative = derive(source, tmp_path)
    assert derivative.mime == "image/jpeg"
    data = derivative.path.read_bytes()
    assert b"Exif" not in data and files.CAMERA_SERIAL.encode() not in data


def test_a_video_derivative_keeps_no_location_title_or_creation_time(tmp_path):
    tags = {
        "location": "-01.2921+036.8219/",
        "title": "Secret meeting at the depot",
        "comment": "recorded by Jane",
        "creation_time": "2026-03-01T08:15:00Z",
    }
    source = files.make_video(tmp_path / "clip.mp4", "mp4", 2.0, metadata=tags)
    seen_before = all_tags(streams_and_tags(source))
    assert seen_before["location"] == tags["location"] and seen_before["title"] == tags["title"]

    _, derivative = derive(source, tmp_path)

    report = streams_and_tags(derivative.path)
    left = all_tags(report)
    assert set(left) <= CONTAINER_BOILERPLATE, set(left) - CONTAINER_BOILERPLATE
    assert left["encoder"] == "Lavc libx264"  # ours, not the sender's
    data = derivative.path.read_bytes()
    assert b"Secret meeting" not in data and b"036.8219" not in data and b"Jane" not in data
    assert [s["codec_name"] for s in report["streams"]] == ["h264", "aac"]
    assert data.index(b"moov") < data.index(b"mdat")  # plays before it has all downloaded
    assert (derivative.mime, derivative.width, derivative.height) == ("video/mp4", 320, 240)


def test_a_big_video_is_shrunk_to_720p_and_a_sideways_one_turned_upright(tmp_path):
    wide = files.make_video(
        tmp_path / "wide.mp4", "mp4", 1.0, size=(1600, 900), rate=5, audio=False
    )
    _, derivative = derive(wide, tmp_path)
    assert (derivative.width, derivative.height) == (1280, 720)

    sideways = files.make_video(tmp_path / "phone.mp4", "mp4", 1.0, size=(640, 360), rotate=90)
    _, derivative = derive(sideways, tmp_path)
    assert (derivative.width, derivative.height) == (360, 640)
    stream = streams_and_tags(derivative.path)["streams"][0]
    assert not stream.get("side_data_list")  # turned in the pixels, no rotation left to apply


def test_a_webm_becomes_an_mp4_every_browser_plays(tmp_path):
    _, derivative = derive(files.make_video(tmp_path / "clip.webm", "webm", 2.0), tmp_path)
    codecs = [s["codec_name"] for s in streams_and_tags(derivative.path)["streams"]]
    assert (derivative.mime, codecs) == ("video/mp4", ["h264", "aac"])


def test_a_sound_becomes_mono_ogg_opus_without_its_tags(tmp_path):
    tags = {"title": "Voice note from Jane", "artist": "Jane Doe", "comment": "Kibera"}
    source = files.make_audio(tmp_path / "note.mp3", "mp3", 3.0, metadata=tags)
    assert all_tags(streams_and_tags(source))["artist"] == "Jane Doe"

    probed, derivative = derive(source, tmp_path)

    report = streams_and_tags(derivative.path)
    assert derivative.mime == "audio/ogg"
    assert [(s["codec_name"], s["channels"]) for s in report["streams"]] == [("opus", 1)]
    assert not {"title", "artist", "comment"} & set(all_tags(report))
    assert b"Jane" not in derivative.path.read_bytes()
    assert float(report["format"]["duration"]) == pytest.approx(probed.duration_s, abs=0.2)


def test_a_sound_with_cover_art_keeps_only_the_sound(tmp_path):
    source = files.make_audio(tmp_path / "song.m4a", "m4a", 3.0, cover_art=True)
    _, derivative = derive(source, tmp_path)
    assert [s["codec_type"] for s in streams_and_tags(derivative.path)["streams"]] == ["audio"]


def test_thumbnails_are_small_clean_jpegs_and_sounds_have_none(tmp_path):
    photo = files.make_jpeg(tmp_path / "photo.jpg", (1200, 900))
    clip = files.make_video(tmp_path / "clip.mp4", "mp4", 2.0, size=(640, 480))
    note = files.make_audio(tmp_path / "note.ogg", "ogg-opus", 3.0)
    for source in (photo, clip):
        probed = probe(source, LIMITS)
        thumbnail = make_thumbnail(source, probed, tmp_path, size=320)
        assert thumbnail is not None
        with Image.open(thumbnail) as seen:
            assert seen.format == "JPEG" and seen.size == (320, 240)
            assert dict(seen.getexif()) == {}
        assert b"GPS" not in thumbnail.read_bytes()
    assert make_thumbnail(note, probe(note, LIMITS), tmp_path) is None


def test_a_video_shorter_than_a_second_still_gets_a_thumbnail(tmp_path):
    clip = files.make_video(tmp_path / "blink.mp4", "mp4", 0.4, audio=False)
    thumbnail = make_thumbnail(clip, probe(clip, LIMITS), tmp_path)
    assert thumbnail is not None and thumbnail.stat().st_size > 0


def test_each_derivative_gets_its_own_file_in_a_shared_workdir(tmp_path):
    one = files.make_jpeg(tmp_path / "one.jpg", seed=1)
    two = files.make_jpeg(tmp_path / "two.jpg", seed=2)
    workdir = tmp_path / "work"
    workdir.mkdir()
    first, second = derive(one, workdir)[1], derive(two, workdir)[1]
    assert first.path != second.path and first.path.parent == workdir


def test_without_x264_the_video_is_still_made_with_another_encoder(tmp_path, monkeypatch):
    monkeypatch.setattr(derivatives, "_encoders", lambda: frozenset({"mpeg4", "aac", "libopus"}))
    _, derivative = derive(files.make_video(tmp_path / "clip.mp4", "mp4", 1.0), tmp_path)
    codecs = [s["codec_name"] for s in streams_and_tags(derivative.path)["streams"]]
    assert codecs == ["mpeg4", "aac"]


@pytest.mark.parametrize("kind", [MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.AUDIO])
def test_a_file_that_cannot_be_processed_fails_cleanly_and_leaves_nothing(tmp_path, kind):
    broken = tmp_path / "broken"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4)
    workdir = tmp_path / "work"
    workdir.mkdir()
    probed = Probed(kind, "video/mp4", 320, 240, 2.0)
    with pytest.raises(ProcessingFailed):
        make_derivative(broken, probed, workdir)
    assert list(workdir.iterdir()) == []


def test_a_derivative_that_takes_too_long_is_stopped(tmp_path):
    clip = files.make_video(tmp_path / "clip.mp4", "mp4", 2.0)
    workdir = tmp_path / "work"
    workdir.mkdir()
    with pytest.raises(ProcessingFailed, match="longer than"):
        make_derivative(clip, probe(clip, LIMITS), workdir, timeout_s=0.01)
    assert list(workdir.iterdir()) == []
