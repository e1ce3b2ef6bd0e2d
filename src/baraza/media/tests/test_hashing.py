"""Hashes that find the same picture, video or sound again: PDQ against Meta's reference
hashes, vPDQ by vpdq's matching rule, Chromaprint across codecs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pdqhash
import pytest
from PIL import Image, ImageOps

from baraza.media.hashing import (
    FrameHash,
    audio_fingerprint,
    audio_similarity,
    bits_to_hex,
    hamming,
    is_vpdq_match,
    pdq_of_image,
    pdq_of_pil,
    video_frame_hashes,
    vpdq_match,
)
from baraza.media.probe import ProcessingFailed
from baraza.media.tests import files

# Meta's reference images and hashes, kept beside the repository, never in it.
REFERENCE = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "pdq"
REFERENCE_CASES = (
    json.loads((REFERENCE / "expected.json").read_text()) if REFERENCE.is_dir() else []
)
CONFORMANCE_BITS = 10  # Meta's rule for a conforming hasher, for quality >= 80


def test_the_reference_images_are_there():
    assert len(REFERENCE_CASES) == 12, f"expected Meta's 12 reference images in {REFERENCE}"


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=lambda case: case["file"])
def test_pdq_agrees_with_metas_reference_hasher(case):
    pdq, quality = pdq_of_image(REFERENCE / case["file"])
    assert quality == case["quality"]
    if case["quality"] >= 80:
        assert hamming(pdq, case["pdq"]) <= CONFORMANCE_BITS
    assert hamming(pdq, case["pdq"]) <= 2  # what this implementation achieves today


def test_pdq_hex_puts_the_first_bit_first():
    bits = np.zeros(256, dtype=np.uint8)
    bits[0] = 1
    bits[255] = 1
    assert bits_to_hex(bits) == "8" + "0" * 62 + "1"
    rng = np.random.default_rng(1)
    bits = rng.integers(0, 2, size=256)
    assert bits_to_hex(bits) == format(int("".join(map(str, bits)), 2), "064x")


def test_hamming_counts_differing_bits_and_refuses_what_is_not_a_hash():
    zero = "0" * 64
    assert hamming(zero, zero) == 0
    assert hamming(zero, "f" * 64) == 256
    assert hamming(zero, "0" * 63 + "7") == 3
    with pytest.raises(ValueError):
        hamming(zero, "abc")


@pytest.fixture(scope="module")
def original() -> tuple[Image.Image, str]:
    if not REFERENCE_CASES:
        pytest.skip(f"no reference images in {REFERENCE}")
    with Image.open(REFERENCE / "aaa-orig.jpg") as image:
        picture = image.convert("RGB")
    return picture, pdq_of_image(REFERENCE / "aaa-orig.jpg")[0]


def recompressed(image: Image.Image, scale: float, quality: int) -> Image.Image:
    smaller = image.resize((int(image.width * scale), int(image.height * scale)))
    return Image.open(io.BytesIO(files.jpeg_bytes(smaller, quality)))


def test_a_resized_and_recompressed_copy_is_near(original):
    picture, pdq = original
    for scale, quality in [(0.5, 70), (0.3, 40), (1.5, 90)]:
        assert hamming(pdq, pdq_of_pil(recompressed(picture, scale, quality))[0]) <= 8


def test_a_mirrored_or_rotated_copy_is_far_because_pdq_is_not_mirror_invariant(original):
    """PDQ hashes pixels as they are: a mirrored or turned copy needs its own hash (pdqhash's
    compute_dihedral gives all eight), which is why EXIF orientation is never applied."""
    picture, pdq = original
    turned = [ImageOps.mirror(picture), ImageOps.flip(picture), picture.rotate(90, expand=True)]
    assert all(hamming(pdq, pdq_of_pil(copy)[0]) > 90 for copy in turned)


def test_different_pictures_are_far(original):
    _, pdq = original
    for seed in range(3):
        assert hamming(pdq, pdq_of_pil(files.photo((640, 480), seed))[0]) > 90


def test_exif_orientation_is_not_applied_so_stored_pixels_are_hashed(tmp_path):
    picture = files.photo((400, 300), seed=3)
    upright = pdq_of_image(files.make_jpeg(tmp_path / "a.jpg", image=picture, orientation=1))
    sideways = pdq_of_image(files.make_jpeg(tmp_path / "b.jpg", image=picture, orientation=6))
    assert upright == sideways


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "L", "CMYK", "1", "I;16"])
def test_every_pillow_mode_hashes_near_its_rgb_picture(original, mode):
    picture, pdq = original
    if mode == "I;16":
        grey = np.asarray(picture.convert("L"), dtype=np.uint16) * 257
        converted = Image.frombytes("I;16", picture.size, grey.astype("<u2").tobytes())
    else:
        converted = picture.convert(mode)
    found, quality = pdq_of_pil(converted)
    assert quality >= 80
    assert hamming(pdq, found) <= 8


def test_a_transparent_png_and_a_16_bit_png_hash_like_their_pixels(tmp_path):
    rgb = pdq_of_image(files.make_png(tmp_path / "rgb.png", (320, 240), mode="RGB", seed=4))[0]
    grey16 = pdq_of_image(files.make_png(tmp_path / "grey.png", (320, 240), mode="I;16", seed=4))
    assert grey16[1] >= 80 and hamming(rgb, grey16[0]) <= 16
    rgba = pdq_of_image(files.make_png(tmp_path / "rgba.png", (320, 240), mode="RGBA", seed=4))
    assert hamming(rgb, rgba[0]) <= 8  # the alpha is dropped, as Meta's reference drops it


def test_an_animated_gif_is_hashed_by_its_first_frame(tmp_path):
    gif = files.make_gif(tmp_path / "anim.gif", (160, 120), frames=3, seed=7)
    pdq, _ = pdq_of_image(gif)
    assert hamming(pdq, pdq_of_pil(files.photo((160, 120), 7))[0]) <= 20
    assert hamming(pdq, pdq_of_pil(files.photo((160, 120), 8))[0]) > 60


def test_an_heic_photo_hashes_like_the_same_picture_in_jpeg(tmp_path):
    heic = pdq_of_image(files.make_heic(tmp_path / "a.heic", (320, 240), seed=2))[0]
    jpeg = pdq_of_image(files.make_jpeg(tmp_path / "a.jpg", (320, 240), seed=2))[0]
    assert hamming(heic, jpeg) <= 8


def test_pdq_of_pil_leaves_the_callers_image_as_it_was(original):
    picture, pdq = original
    before = picture.copy()
    assert hamming(pdq_of_pil(picture)[0], pdq) <= 2
    assert picture.size == before.size and picture.tobytes() == before.tobytes()


def test_pdq_matches_the_bare_pdqhash_on_a_small_picture():
    picture = files.photo((300, 200), seed=9)  # under 512 px: nothing to shrink
    bits, quality = pdqhash.compute(np.asarray(picture))
    assert pdq_of_pil(picture) == (bits_to_hex(bits), quality)


def test_a_flat_picture_has_quality_zero_and_an_unreadable_one_fails(tmp_path):
    assert pdq_of_pil(Image.new("RGB", (100, 100), "grey"))[1] == 0
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a picture")
    with pytest.raises(ProcessingFailed):
        pdq_of_image(broken)


# --- vPDQ -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, list[FrameHash]]:
    folder = tmp_path_factory.mktemp("clips")
    made = {
        "original": files.make_video(folder / "original.mp4", "mp4", 3.0, pattern="testsrc2"),
        "other": files.make_video(folder / "other.webm", "webm", 3.0, pattern="mandelbrot"),
    }
    made["forwarded"] = files.reencode_video(made["original"], folder / "forwarded.mp4")
    return {name: video_frame_hashes(path) for name, path in made.items()}


def test_a_video_is_hashed_one_frame_a_second(clips):
    assert [frame.second for frame in clips["original"]] == [0.0, 1.0, 2.0]
    assert all(len(frame.pdq) == 64 and frame.quality >= 50 for frame in clips["original"])


def test_a_forwarded_copy_of_a_video_matches_it_and_another_video_does_not(clips):
    assert vpdq_match(clips["forwarded"], clips["original"]) == (100.0, 100.0)
    assert is_vpdq_match(clips["forwarded"], clips["original"])
    assert vpdq_match(clips["other"], clips["original"]) == (0.0, 0.0)
    assert not is_vpdq_match(clips["other"], clips["original"])


def test_a_part_of_a_video_is_found_in_it_but_is_not_the_same_video(clips):
    part = clips["original"][:1]
    assert vpdq_match(part, clips["original"]) == (100.0, pytest.approx(100 / 3))
    assert not is_vpdq_match(part, clips["original"])
    assert is_vpdq_match(part, clips["original"], threshold_percent=30)


def frame(second: float, pdq: str, quality: int = 100) -> FrameHash:
    return FrameHash(second=second, pdq=pdq, quality=quality)


def test_vpdq_matching_follows_vpdqs_rules():
    zero, thirty, thirty_one = "0" * 64, "3fffffff" + "0" * 56, "7fffffff" + "0" * 56
    assert hamming(zero, thirty) == 30 and hamming(zero, thirty_one) == 31
    # Found when strictly closer than the distance (31), as match_two_hash_brute counts.
    assert vpdq_match([frame(0, zero)], [frame(0, thirty)]) == (100.0, 100.0)
    assert vpdq_match([frame(0, zero)], [frame(0, thirty_one)]) == (0.0, 0.0)
    # Frames below the quality floor are left out; nothing left gives (0, 0).
    far = "f" * 64
    query = [frame(0, zero), frame(1, far, quality=10)]
    assert vpdq_match(query, [frame(0, zero)]) == (100.0, 100.0)
    assert vpdq_match([frame(0, far, quality=10)], [frame(0, far)]) == (0.0, 0.0)
    # Identical hashes count once: a still scene does not outweigh the rest.
    still = [frame(second, zero) for second in range(8)] + [frame(8, far)]
    assert vpdq_match(still, [frame(0, zero)]) == (50.0, 100.0)


def test_an_unreadable_or_slow_video_fails_cleanly(tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(1000))
    with pytest.raises(ProcessingFailed):
        video_frame_hashes(broken)
    clip = files.make_video(tmp_path / "clip.mp4", "mp4", 2.0)
    with pytest.raises(ProcessingFailed, match="longer than"):
        video_frame_hashes(clip, timeout_s=0.01)


# --- Chromaprint ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tunes(tmp_path_factory) -> dict[str, list[int]]:
    folder = tmp_path_factory.mktemp("tunes")
    note = files.make_audio(folder / "note.ogg", "ogg-opus", 8.0, seed=1)
    made = {
        "note": note,
        "as_mp3": files.reencode_audio(note, folder / "note.mp3", "mp3"),
        "as_m4a": files.reencode_audio(note, folder / "note.m4a", "m4a"),
        "other": files.make_audio(folder / "other.ogg", "ogg-opus", 8.0, seed=2),
    }
    narrowband = folder / "phone.mp3"  # a phone line: 8 kHz, 300-3400 Hz, quieter, 16 kbit/s
    files.ffmpeg("-i", str(note), "-ar", "8000", "-af", "volume=0.5,highpass=f=300,lowpass=f=3400",
                 "-c:a", "libmp3lame", "-b:a", "16k", str(narrowband))  # fmt: skip
    made["phone"] = narrowband
    tail = folder / "tail.ogg"
    files.ffmpeg("-ss", "2.5", "-i", str(note), "-c:a", "libopus", str(tail))
    made["tail"] = tail
    return {name: audio_fingerprint(path)[0] for name, path in made.items()}


def test_the_same_sound_re_encoded_is_similar_and_a_different_one_is_not(tunes):
    for copy in ("as_mp3", "as_m4a", "phone", "tail"):
        assert audio_similarity(tunes["note"], tunes[copy]) > 0.7, copy
        assert audio_similarity(tunes[copy], tunes["other"]) < 0.4, copy
    assert audio_similarity(tunes["note"], tunes["note"]) == 1.0


def test_similarity_is_symmetric(tunes):
    assert audio_similarity(tunes["note"], tunes["tail"]) == audio_similarity(
        tunes["tail"], tunes["note"]
    )


def test_the_fingerprint_comes_with_the_duration(tmp_path):
    words, duration = audio_fingerprint(files.make_audio(tmp_path / "a.mp3", "mp3", 6.0))
    assert duration == pytest.approx(6.0, abs=0.2)
    assert len(words) > 10 and all(0 <= word < 2**32 for word in words)


def test_a_sound_too_short_to_fingerprint_gives_nothing_to_compare(tmp_path):
    words, _ = audio_fingerprint(files.make_audio(tmp_path / "blip.ogg", "ogg-opus", 1.0))
    assert words == []
    assert audio_similarity(words, words) == 0.0
    assert audio_similarity([1, 2, 3], [1, 2, 3]) == 0.0  # under 4 words is too little to say


def test_a_file_without_sound_fails_cleanly(tmp_path):
    with pytest.raises(ProcessingFailed):
        audio_fingerprint(files.make_jpeg(tmp_path / "photo.jpg"))
