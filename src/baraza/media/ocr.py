"""The words a picture shows (a poster, a screenshot of a message), read by Tesseract.

Misinformation travels as pictures of text as much as text: reading the words lets a picture be
matched against claims and fact-checks like any message. Tesseract reads only the languages
whose data is installed (Debian's tesseract-ocr-LANG packages); asking for one that is missing
is not an error, it is left out, so a deployment chooses its languages by what it installs.
Pictures are turned upright first (Tesseract reads lines, not sideways text) and very large
ones shrunk, which bounds the time a hostile picture can cost.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytesseract
from PIL import Image, ImageOps

from baraza.media.derivatives import as_rgb
from baraza.media.probe import ProcessingFailed

# Tesseract's OpenMP threads fight the web process and each other on a two-core machine; one
# thread per page is faster overall there (Tesseract's own advice for parallel pages).
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

MAX_SIDE = 3000  # text on a photo of a poster is still legible; the time stays bounded
NOT_LANGUAGES = {"osd"}  # orientation and script detection data, not a language


def available_languages() -> set[str]:
    """Languages Tesseract has data for here (e.g. {"eng", "ara"}); empty without Tesseract."""
    return set(_installed())


@functools.cache
def _installed() -> frozenset[str]:
    try:
        installed = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return frozenset()
    return frozenset(installed) - NOT_LANGUAGES


def usable_languages(languages: str) -> str:
    """The installed ones among "eng+ara+..."; "eng" when none is but English is."""
    installed = _installed()
    kept = [code for code in languages.split("+") if code in installed]
    return "+".join(dict.fromkeys(kept)) or ("eng" if "eng" in installed else "")


def ocr_text(image_path: Path, languages: str = "eng", *, timeout_s: float = 60) -> str:
    """The text in the picture, lines joined by newlines; "" when there is none."""
    chosen = usable_languages(languages)
    if not chosen:
        if not _installed():
            raise ProcessingFailed("Tesseract is not installed, or has no language data")
        raise ProcessingFailed(f"Tesseract has none of the languages {languages!r}, nor English")
    picture = _upright(image_path)
    try:
        text = pytesseract.image_to_string(picture, lang=chosen, timeout=timeout_s)
    except RuntimeError as error:  # pytesseract's way of saying the time ran out
        raise ProcessingFailed(f"Tesseract took longer than {timeout_s} s") from error
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError) as error:
        raise ProcessingFailed(f"Tesseract failed: {error}") from error
    lines = (line.strip() for line in str(text).splitlines())
    return "\n".join(line for line in lines if line)


# Tesseract's script detection (OSD) names a script; the language pack that reads it. Latin
# text is read with the deployment's own list (BARAZA_OCR_LANGUAGES).
SCRIPT_LANGUAGES = {
    "Arabic": "ara",
    "Devanagari": "hin",
    "Ethiopic": "amh",
    "Cyrillic": "rus",
    "Han": "chi_sim",
    "Hangul": "kor",
}


def detected_script(image_path: Path, *, timeout_s: float = 30) -> str | None:
    """The script Tesseract sees in the picture, or None when it cannot tell (little text)."""
    if "osd" not in _all_data():
        return None
    try:
        osd = pytesseract.image_to_osd(
            _upright(image_path), config="-c min_characters_to_try=5", timeout=timeout_s
        )
    except (RuntimeError, pytesseract.TesseractError, OSError):
        return None
    for line in str(osd).splitlines():
        if line.startswith("Script:"):
            return line.split(":", 1)[1].strip()
    return None


def _read_with_confidence(
    picture: Image.Image, languages: str, timeout_s: float
) -> tuple[str, float]:
    """The text and how sure Tesseract is of it (mean word confidence times words read)."""
    try:
        data = pytesseract.image_to_data(
            picture, lang=languages, timeout=timeout_s, output_type=pytesseract.Output.DICT
        )
    except RuntimeError as error:
        raise ProcessingFailed(f"Tesseract took longer than {timeout_s} s") from error
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError) as error:
        raise ProcessingFailed(f"Tesseract failed: {error}") from error
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences = []
    for n, word in enumerate(data["text"]):
        confidence = float(data["conf"][n])
        if word.strip() and confidence >= 0:
            key = (data["block_num"][n], data["par_num"][n], data["line_num"][n])
            lines.setdefault(key, []).append(word.strip())
            confidences.append(confidence)
    text = "\n".join(" ".join(words) for _, words in sorted(lines.items()))
    return text, sum(confidences)


def ocr_text_any_script(image_path: Path, languages: str, *, timeout_s: float = 60) -> str:
    """The text in the picture in whichever script it is written: the deployment's languages,
    and the language of the script Tesseract detects when that is another one and installed;
    the reading Tesseract is surer of wins (script detection alone mistakes short capitals for
    Cyrillic)."""
    chosen = usable_languages(languages)
    if not chosen:
        return ocr_text(image_path, languages, timeout_s=timeout_s)  # fails with the reason
    picture = _upright(image_path)
    readings = [_read_with_confidence(picture, chosen, timeout_s)]
    other = SCRIPT_LANGUAGES.get(detected_script(image_path, timeout_s=timeout_s) or "")
    if other and other in _installed() and other not in chosen.split("+"):
        readings.append(_read_with_confidence(picture, other, timeout_s))
    return max(readings, key=lambda reading: reading[1])[0]


@functools.cache
def _all_data() -> frozenset[str]:
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return frozenset()


def _upright(path: Path) -> Image.Image:
    try:
        with Image.open(path) as image:
            image.seek(0)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            return as_rgb(ImageOps.exif_transpose(image))
    except Exception as error:  # Pillow's many error types all mean "cannot read this"
        raise ProcessingFailed(f"cannot read the picture {path.name}: {error}") from error
