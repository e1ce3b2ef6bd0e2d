"""The words a picture shows, read by Tesseract in the languages installed."""

from __future__ import annotations

import pytest
from PIL import Image

from baraza.media import ocr
from baraza.media.ocr import (
    available_languages,
    ocr_text,
    ocr_text_any_script,
    usable_languages,
)
from baraza.media.probe import ProcessingFailed
from baraza.media.tests import files

ARABIC = "صوتوا يوم الخميس"  # "vote on Thursday"


def test_it_reads_the_words_on_a_poster(tmp_path):
    poster = files.make_text_image(tmp_path / "poster.png", "VOTE ON THURSDAY")
    assert ocr_text(poster).split() == ["VOTE", "ON", "THURSDAY"]


def test_a_picture_without_words_gives_an_empty_text(tmp_path):
    blank = tmp_path / "blank.png"
    Image.new("RGB", (400, 300), "white").save(blank)
    assert ocr_text(blank) == ""


def test_a_photo_stored_sideways_is_read_upright(tmp_path):
    """Stored turned a quarter anticlockwise with Orientation 6, as phones store photos."""
    poster = files.make_text_image(tmp_path / "poster.png", "VOTE ON THURSDAY")
    with Image.open(poster) as upright:
        stored = upright.rotate(90, expand=True)
    sideways = files.make_jpeg(tmp_path / "sideways.jpg", image=stored, orientation=6)
    assert "THURSDAY" in ocr_text(sideways)


@pytest.mark.skipif(
    "ara" not in available_languages() or files.font(40, files.ARABIC_FONTS) is None,
    reason="needs Tesseract's Arabic data (tesseract-ocr-ara) and a font with Arabic letters",
)
def test_it_reads_arabic(tmp_path):
    poster = files.make_text_image(
        tmp_path / "poster.png", ARABIC, fonts=files.ARABIC_FONTS, direction="rtl"
    )
    assert ocr_text(poster, "ara") == ARABIC


def test_languages_that_are_not_installed_are_left_out_not_fatal(tmp_path):
    assert "eng" in available_languages() and "osd" not in available_languages()
    assert usable_languages("xxx+eng+eng") == "eng"
    assert usable_languages("zzz") == "eng"
    poster = files.make_text_image(tmp_path / "poster.png", "VOTE ON THURSDAY")
    assert "VOTE" in ocr_text(poster, "zzz+eng")


def test_without_any_usable_language_it_fails_cleanly(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "_installed", lambda: frozenset({"ara"}))
    with pytest.raises(ProcessingFailed, match="languages"):
        ocr_text(files.make_text_image(tmp_path / "p.png", "VOTE"), "fra")


def test_a_slow_reading_or_an_unreadable_picture_fails_cleanly(tmp_path):
    poster = files.make_text_image(tmp_path / "poster.png", "VOTE ON THURSDAY")
    with pytest.raises(ProcessingFailed, match="longer than"):
        ocr_text(poster, timeout_s=0.001)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(ProcessingFailed):
        ocr_text(broken)


def test_a_picture_in_another_script_is_read_in_it_even_when_latin_languages_are_asked(tmp_path):
    if not ("ara" in available_languages() and files.font(40, files.ARABIC_FONTS)):
        pytest.skip("needs Tesseract's Arabic data and an Arabic font")
    picture = files.make_text_image(
        tmp_path / "ar.png", ARABIC, fonts=files.ARABIC_FONTS, direction="rtl"
    )
    assert ocr_text_any_script(picture, "eng+fra") == ARABIC


def test_latin_words_stay_latin_when_script_detection_guesses_wrong(tmp_path):
    picture = files.make_text_image(tmp_path / "en.png", "POLLING STATIONS CLOSE AT 2PM")
    text = ocr_text_any_script(picture, "eng+fra")
    assert "POLLING" in text and "STATIONS" in text
