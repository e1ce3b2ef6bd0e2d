"""What a sent file is, told from its bytes: the formats we take, and every way we refuse one."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image

from baraza.media import probe as probe_module
from baraza.media.probe import Limits, MediaKind, ProcessingFailed, Rejected, probe
from baraza.media.tests import files

LIMITS = Limits(max_pixels=50_000_000, max_video_seconds=600, max_audio_seconds=600)


def refusal(path: Path, limits: Limits = LIMITS) -> Rejected:
    with pytest.raises(Rejected) as refused:
        probe(path, limits)
    return refused.value


@pytest.mark.parametrize(
    ("make", "mime"),
    [
        (files.make_jpeg, "image/jpeg"),
        (files.make_png, "image/png"),
        (files.make_webp, "image/webp"),
        (files.make_gif, "image/gif"),
        (files.make_heic, "image/heic"),
    ],
)
def test_it_takes_each_accepted_picture_format_with_its_size(tmp_path, make, mime):
    path = make(tmp_path / "upload", (200, 150))
    probed = probe(path, LIMITS)
    assert (probed.kind, probed.mime, probed.width, probed.height) == (
        MediaKind.IMAGE,
        mime,
        200,
        150,
    )
    assert probed.duration_s is None


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [
        ("mp4", "video/mp4"),
        ("mov", "video/quicktime"),
        ("webm", "video/webm"),
        ("3gp", "video/3gpp"),
    ],
)
def test_it_takes_each_accepted_video_format_with_its_size_and_duration(tmp_path, fmt, mime):
    probed = probe(files.make_video(tmp_path / "upload", fmt, 2.0), LIMITS)
    assert (probed.kind, probed.mime, probed.width, probed.height) == (
        MediaKind.VIDEO,
        mime,
        320,
        240,
    )
    assert probed.duration_s == pytest.approx(2.0, abs=0.1)


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [
        ("ogg-opus", "audio/ogg"),
        ("ogg-vorbis", "audio/ogg"),
        ("mp3", "audio/mpeg"),
        ("amr", "audio/amr"),
        ("m4a", "audio/mp4"),
    ],
)
def test_it_takes_each_accepted_sound_format_with_its_duration(tmp_path, fmt, mime):
    probed = probe(files.make_audio(tmp_path / "upload", fmt, 3.0), LIMITS)
    assert (probed.kind, probed.mime, probed.width, probed.height) == (
        MediaKind.AUDIO,
        mime,
        None,
        None,
    )
    assert probed.duration_s == pytest.approx(3.0, abs=0.15)


def test_the_name_of_a_file_says_nothing_about_what_it_is(tmp_path):
    picture = files.make_png(tmp_path / "holiday.mp4")
    assert probe(picture, LIMITS).mime == "image/png"
    sound = files.make_audio(tmp_path / "photo.jpg", "mp3")
    assert probe(sound, LIMITS).kind == MediaKind.AUDIO


def test_it_refuses_an_empty_file(tmp_path):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    refused = refusal(empty)
    assert refused.code == "empty"
    assert refused.reason == "The file is empty."


def test_it_refuses_text_that_claims_to_be_a_jpeg(tmp_path):
    text = tmp_path / "photo.jpg"
    text.write_text("Dear moderator, this is not a photo.\n" * 20)
    refused = refusal(text)
    assert refused.code == "type"
    assert "JPEG" in refused.reason and "MP4" in refused.reason and "OGG" in refused.reason


@pytest.mark.parametrize("kind", ["bmp", "tiff", "pdf", "wav", "mkv", "zip"])
def test_it_refuses_formats_it_does_not_take(tmp_path, kind):
    path = tmp_path / f"upload.{kind}"
    if kind in {"bmp", "tiff"}:
        files.photo((64, 48)).save(path, kind.upper())
    elif kind == "pdf":
        path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
    elif kind == "wav":
        files.make_wav(path, 1.0)
    elif kind == "mkv":
        source = ["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=5", "-t", "1"]
        files.ffmpeg(
            *source, "-c:v", "libx264", "-preset", "ultrafast", "-f", "matroska", str(path)
        )
    else:
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("a.txt", "hello")
    assert refusal(path).code == "type"


def test_it_refuses_a_png_whose_pixels_exceed_the_cap(tmp_path):
    picture = files.make_png(tmp_path / "big.png", (400, 300))
    refused = refusal(picture, Limits(max_pixels=100_000, max_video_seconds=1, max_audio_seconds=1))
    assert refused.code == "pixels"
    assert refused.reason == "The picture is too large: 0.12 million pixels, at most 0.1 million."
    assert probe(picture, Limits(120_000, 1, 1)).width == 400  # 400 x 300 is within 120,000


def test_it_refuses_a_decompression_bomb_from_its_header_without_decoding_it(tmp_path):
    bomb = files.png_bomb(tmp_path / "bomb.png", 30000, 30000)
    assert bomb.stat().st_size < 200_000
    started = time.perf_counter()
    refused = refusal(bomb)
    assert refused.code == "pixels"
    assert "900 million pixels" in refused.reason
    assert time.perf_counter() - started < 1.0  # decoding 900 million pixels takes far longer


def test_a_bomb_below_pillows_own_guard_is_still_refused_by_our_cap(tmp_path):
    bomb = files.png_bomb(tmp_path / "bomb.png", 8000, 8000)  # 64 M: Pillow would decode it
    assert refusal(bomb).code == "pixels"


def test_it_refuses_a_truncated_jpeg_as_corrupt(tmp_path):
    photo = files.make_jpeg(tmp_path / "photo.jpg", (640, 480))
    data = photo.read_bytes()
    photo.write_bytes(data[: len(data) // 2])
    refused = refusal(photo)
    assert refused.code == "corrupt"
    assert refused.reason == "The file is damaged or incomplete and cannot be opened."


def test_it_refuses_a_truncated_png_as_corrupt(tmp_path):
    picture = files.make_png(tmp_path / "picture.png", (320, 240), mode="RGB")
    picture.write_bytes(picture.read_bytes()[:20_000])
    assert refusal(picture).code == "corrupt"


def test_it_refuses_a_truncated_video_as_corrupt(tmp_path):
    clip = files.make_video(tmp_path / "clip.mp4", "mp4", 2.0)
    clip.write_bytes(clip.read_bytes()[: clip.stat().st_size * 2 // 3])  # the index is at the end
    assert refusal(clip).code == "corrupt"


@pytest.mark.parametrize(
    "signature",
    [b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", b"\x00\x00\x00\x18ftypmp42", b"OggS\x00\x02"],
)
def test_it_refuses_garbage_behind_a_real_signature_as_corrupt(tmp_path, signature):
    """(Not AMR: its frames have no structure to check, any bytes decode, as files.make_amr
    shows; such a file costs the worker a re-encode of noise, bounded by the duration cap.)"""
    forged = tmp_path / "forged"
    forged.write_bytes(signature + bytes(range(256)) * 8)
    assert refusal(forged).code == "corrupt"


def test_it_refuses_a_video_longer_than_the_cap(tmp_path):
    clip = files.make_video(tmp_path / "clip.mp4", "mp4", 3.0)
    refused = refusal(clip, Limits(max_pixels=10**8, max_video_seconds=2, max_audio_seconds=600))
    assert refused.code == "duration"
    assert refused.reason == "The recording is too long: 3 seconds, at most 2."


def test_it_refuses_a_sound_longer_than_the_cap_but_not_a_video_of_that_length(tmp_path):
    limits = Limits(max_pixels=10**8, max_video_seconds=600, max_audio_seconds=2)
    assert (
        refusal(files.make_audio(tmp_path / "note.ogg", "ogg-opus", 3.0), limits).code == "duration"
    )
    assert (
        probe(files.make_video(tmp_path / "clip.mp4", "mp4", 3.0), limits).kind == MediaKind.VIDEO
    )


@pytest.mark.parametrize("fmt", ["m4a", "mp3"])
def test_a_sound_with_cover_art_is_a_sound_not_a_video(tmp_path, fmt):
    song = files.make_audio(tmp_path / "song", fmt, 3.0, cover_art=True)
    report = probe_module.ffprobe(song, timeout_s=10)
    assert {s["codec_type"] for s in report["streams"]} == {"audio", "video"}  # the cover
    probed = probe(song, LIMITS)
    assert probed.kind == MediaKind.AUDIO
    assert probed.width is None


def test_an_mp4_holding_only_sound_is_a_sound_and_one_holding_pictures_is_a_video(tmp_path):
    sound = files.make_audio(tmp_path / "sound.m4a", "m4a", 3.0)
    as_mp4 = tmp_path / "sound.mp4"
    files.ffmpeg("-i", str(sound), "-c", "copy", "-f", "mp4", str(as_mp4))
    assert as_mp4.read_bytes()[4:12] == b"ftypisom"  # the very brand a video has
    assert probe(as_mp4, LIMITS).mime == "audio/mp4"
    silent = files.make_video(tmp_path / "silent.mp4", "mp4", 2.0, audio=False)
    assert probe(silent, LIMITS).mime == "video/mp4"


def test_a_phone_video_stored_sideways_reports_its_upright_size(tmp_path):
    clip = files.make_video(tmp_path / "portrait.mp4", "mp4", 1.0, size=(320, 240), rotate=90)
    probed = probe(clip, LIMITS)
    assert (probed.width, probed.height) == (240, 320)


def test_the_duration_of_a_stream_can_be_measured_from_its_packets(tmp_path):
    """Browsers' recorders write WebM whose header states no duration; the packets tell it."""
    clip = files.make_video(tmp_path / "clip.webm", "webm", 2.0)
    stream = probe_module.ffprobe(clip, timeout_s=10)["streams"][0]
    assert probe_module.packet_duration(clip, stream, 10) == pytest.approx(2.0, abs=0.1)


def test_a_file_that_takes_too_long_to_read_is_refused_not_waited_for(tmp_path):
    clip = files.make_video(tmp_path / "clip.mp4", "mp4", 1.0)
    limits = Limits(max_pixels=10**8, max_video_seconds=600, max_audio_seconds=600, timeout_s=0.001)
    refused = refusal(clip, limits)
    assert refused.code == "corrupt"
    assert "longer than" in refused.detail


def test_a_missing_ffprobe_is_our_failure_not_the_senders(tmp_path, monkeypatch):
    monkeypatch.setattr(probe_module, "FFPROBE", str(tmp_path / "no-such-ffprobe"))
    with pytest.raises(ProcessingFailed, match="cannot run"):
        probe(files.make_audio(tmp_path / "note.ogg"), LIMITS)


def test_pillows_own_bomb_guard_is_left_as_it_was(tmp_path):
    before = Image.MAX_IMAGE_PIXELS
    refusal(files.png_bomb(tmp_path / "bomb.png", 30000, 30000))
    assert before == Image.MAX_IMAGE_PIXELS
