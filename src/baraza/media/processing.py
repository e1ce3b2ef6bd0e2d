"""What the worker does with one file: a derivative without metadata, a thumbnail, the hashes
that find the same picture, video or sound again, and the words a picture shows.

Pure: a path in, results out; every external program runs under a time limit
(BARAZA_MEDIA_PROCESSING_TIMEOUT), so a hostile file costs a bounded time and never a worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from baraza.media.derivatives import Derivative, make_derivative, make_thumbnail
from baraza.media.hashing import (
    FrameHash,
    audio_fingerprint,
    pdq_of_image,
    pdq_turns_of_image,
    video_frame_hashes,
)
from baraza.media.ocr import available_languages, ocr_text_any_script
from baraza.media.probe import MediaKind, Probed

log = logging.getLogger(__name__)


@dataclass
class Processed:
    derivative: Derivative
    thumbnail: Path | None
    pdq: str = ""
    pdq_quality: int | None = None
    pdq_turns: list[str] = field(default_factory=list)
    frames: list[FrameHash] = field(default_factory=list)
    fingerprint: list[int] = field(default_factory=list)
    ocr_text: str = ""


def ocr_languages(wanted: str) -> str:
    """The wanted Tesseract languages that are installed ("eng" at least, if it is)."""
    installed = available_languages()
    kept = [language for language in wanted.split("+") if language in installed]
    return "+".join(kept) or ("eng" if "eng" in installed else "")


def process(
    source: Path, probed: Probed, workdir: Path, *, languages: str, timeout_s: float
) -> Processed:
    derivative = make_derivative(source, probed, workdir, timeout_s=timeout_s)
    thumbnail = make_thumbnail(derivative.path, probed, workdir, timeout_s=timeout_s)
    processed = Processed(derivative=derivative, thumbnail=thumbnail)
    if probed.kind == MediaKind.IMAGE:
        # PDQ of the original's pixels, as Meta's reference reads them (bench/media_hashing.py);
        # the words from the derivative, turned upright and without colour profiles.
        processed.pdq, processed.pdq_quality = pdq_of_image(source)
        processed.pdq_turns = pdq_turns_of_image(source)[1:]
        chosen = ocr_languages(languages)
        if chosen:
            processed.ocr_text = ocr_text_any_script(
                derivative.path, chosen, timeout_s=timeout_s
            ).strip()
    elif probed.kind == MediaKind.VIDEO:
        processed.frames = video_frame_hashes(source, timeout_s=timeout_s)
    else:
        processed.fingerprint, _duration = audio_fingerprint(source, timeout_s=timeout_s)
    return processed
