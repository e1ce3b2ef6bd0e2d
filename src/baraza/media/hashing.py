"""Hashes that find the same picture, video or sound again after it was resized, recompressed
or forwarded: PDQ for pictures, vPDQ for videos, Chromaprint for sounds.

PDQ (Meta's perceptual hash, 256 bits) is computed by the `pdqhash` package, which wraps Meta's
C++ code. What reaches that code decides whether our hashes agree with everyone else's, so the
pixels are prepared as Meta's reference hasher (ThreatExchange's pdq_hasher.fromFile) does:
the stored pixels, never turned by EXIF orientation (hash lists are made from stored pixels),
shrunk with Pillow's `thumbnail((512, 512))` in the file's own mode, then made RGB. On Meta's
reference images that is within 2 bits of the published hashes, where hashing the full-size
picture is up to 12 bits away (the conformance rule is 10 bits for quality >= 80). For JPEG the
thumbnail decodes at a reduced DCT scale (draft mode), exactly as the reference's Pillow call
does, so it is also the fast path (bench/media_hashing.py). Modes the reference would mangle are
made 8-bit RGB first: 16-bit grey (Pillow would clip it to white) and palettes (Pillow resizes
those by nearest neighbour); transparency is dropped, as both references do.

vPDQ is Meta's video hash: the PDQ of one frame every `seconds_per_hash`, matched frame set
against frame set. The `vpdq` package is not used because it only exists as source that builds
against libav's development headers, which are not installed on our machines (no wheel is
published); its algorithm is small and is reimplemented here on the ffmpeg program: frames are
chosen as vpdq's hasher chooses them (every int(seconds_per_hash * fps)-th decoded frame), each is
hashed at its stored size and orientation as vpdq does (only frames beyond 1920 px are shrunk,
to bound memory), and matching is vpdq's match_two_hash_brute (quality filter, exact-duplicate
removal, a frame matches when some frame of the other video is at distance < 31).

Chromaprint (AcoustID's fingerprint) comes from its `fpcalc` program; two fingerprints are
compared by the share of equal bits at the best alignment, as AcoustID compares them.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pdqhash
from PIL import Image

from baraza.media.derivatives import as_rgb
from baraza.media.probe import ProcessingFailed, media_url, run_tool

PDQ_SIZE = (512, 512)
PDQ_HEX_DIGITS = 64
# Modes Pillow shrinks faithfully; the reference shrinks before converting, so do we.
SHRINK_IN_OWN_MODE = {"RGB", "RGBA", "L", "LA", "CMYK", "YCbCr"}
MAX_FRAME_SIDE = 1920
FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"
FPCALC = "fpcalc"

# vpdq and the Hasher-Matcher-Actioner's defaults.
VPDQ_DISTANCE = 31
VPDQ_QUALITY = 50
VPDQ_MATCH_PERCENT = 80.0

# Chromaprint: one 32-bit word per 0.1238 s of sound.
CHROMAPRINT_SECONDS_PER_WORD = 4096 / 3 / 11025
MIN_OVERLAP_WORDS = 16  # about 2 s of sound heard by both
AUDIO_MATCH_SIMILARITY = 0.5  # see audio_similarity: unrelated sounds score near 0


# --- pictures: PDQ --------------------------------------------------------------------------


def pdq_of_image(path: Path) -> tuple[str, int]:
    """PDQ hash (64 lowercase hex digits) and quality (0-100) of a picture file's first frame."""
    try:
        with Image.open(path) as image:
            image.seek(0)
            return pdq_of_rgb(_pdq_pixels(image, in_place=True))
    except ProcessingFailed:
        raise
    except Exception as error:  # Pillow's many error types all mean "cannot read this"
        raise ProcessingFailed(f"cannot hash {path.name}: {error}") from error


def pdq_turns_of_image(path: Path) -> list[str]:
    """The PDQ hashes of the picture turned and flipped (its 8 dihedral versions, the plain one
    first), from one DCT: a mirrored or rotated copy, made to dodge matching, has a plain hash
    close to one of these (bench/media_thresholds.py: mirror and rotation found at 31 bits in
    84 % of cases, no more false matches than plain hashes)."""
    try:
        with Image.open(path) as image:
            image.seek(0)
            array = np.ascontiguousarray(np.asarray(_pdq_pixels(image, in_place=True)), np.uint8)
        hashes, _quality = pdqhash.compute_dihedral(array)
    except ProcessingFailed:
        raise
    except Exception as error:
        raise ProcessingFailed(f"cannot hash {path.name}: {error}") from error
    return [bits_to_hex(bits) for bits in hashes]


def pdq_of_pil(image: Image.Image) -> tuple[str, int]:
    """PDQ hash and quality of a Pillow image, prepared as pdq_of_image prepares a file's.

    The image is not changed. An image decoded by the caller cannot use JPEG's draft mode, so
    its hash may differ from the file's by a bit or two.
    """
    return pdq_of_rgb(_pdq_pixels(image, in_place=False))


def pdq_of_rgb(pixels: np.ndarray | Image.Image) -> tuple[str, int]:
    """PDQ of 8-bit RGB pixels exactly as given: no resizing (Meta's C++ hasher on a buffer)."""
    array = np.ascontiguousarray(np.asarray(pixels), dtype=np.uint8)
    if array.ndim != 3 or array.shape[2] != 3:
        raise ProcessingFailed(f"PDQ needs height x width x 3 pixels, not {array.shape}")
    bits, quality = pdqhash.compute(array)
    return bits_to_hex(bits), int(quality)


def bits_to_hex(bits: np.ndarray) -> str:
    """pdqhash's 256 bits, first bit most significant, as Meta's 64 hex digits."""
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def _pdq_pixels(image: Image.Image, *, in_place: bool) -> Image.Image:
    if image.mode in SHRINK_IN_OWN_MODE:
        shrunk = image if in_place else image.copy()
        shrunk.thumbnail(PDQ_SIZE)
        return as_rgb(shrunk, background=None)
    converted = as_rgb(image, background=None)
    converted.thumbnail(PDQ_SIZE)
    return converted


def hamming(a: str, b: str) -> int:
    """Bits that differ between two PDQ hashes given as 64 hex digits."""
    return (_hash_int(a) ^ _hash_int(b)).bit_count()


def _hash_int(value: str) -> int:
    if len(value) != PDQ_HEX_DIGITS:
        raise ValueError(f"a PDQ hash is {PDQ_HEX_DIGITS} hex digits, not {len(value)}")
    return int(value, 16)


# --- videos: vPDQ ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameHash:
    second: float
    pdq: str
    quality: int


def video_frame_hashes(
    path: Path, *, seconds_per_hash: float = 1.0, timeout_s: float = 300
) -> list[FrameHash]:
    """vPDQ: the PDQ of one frame every `seconds_per_hash`, in order, with its time."""
    stream = _video_stream(path, timeout_s)
    fps = _frame_rate(stream)
    step = max(1, int(seconds_per_hash * fps)) if fps else 0
    choose = f"select=not(mod(n\\,{step}))" if step else f"fps=1/{seconds_per_hash}"
    chain = choose + _shrink_filter(stream)
    command = [FFMPEG, "-nostdin", "-hide_banner", "-v", "error", "-noautorotate"]
    command += ["-i", media_url(path), "-map", f"0:{stream['index']}", "-vf", chain]
    command += ["-fps_mode", "passthrough", "-f", "image2pipe", "-c:v", "ppm", "-"]
    hashes = []
    with _streaming(command, timeout_s) as frames:
        for number, pixels in enumerate(_ppm_frames(frames)):
            pdq, quality = pdq_of_rgb(pixels)
            second = number * step / fps if step else number * seconds_per_hash
            hashes.append(FrameHash(second=round(second, 3), pdq=pdq, quality=quality))
    return hashes


def _video_stream(path: Path, timeout_s: float) -> dict[str, Any]:
    command = [FFPROBE, "-v", "error", "-print_format", "json", "-show_streams"]
    output = run_tool([*command, "-select_streams", "V", media_url(path)], timeout_s=timeout_s)
    try:
        streams = json.loads(output).get("streams", [])
    except json.JSONDecodeError as error:
        raise ProcessingFailed("ffprobe wrote no JSON") from error
    moving = [s for s in streams if not s.get("disposition", {}).get("attached_pic")]
    if not moving:
        raise ProcessingFailed(f"{path.name} has no video stream")
    return dict(moving[0])


def _frame_rate(stream: dict[str, Any]) -> float:
    """The stream's frame rate as vpdq reads it: average, else the container's base rate."""
    for key in ("avg_frame_rate", "r_frame_rate"):
        numerator, _, denominator = str(stream.get(key, "0/0")).partition("/")
        try:
            rate = float(numerator) / float(denominator or 1)
        except (ValueError, ZeroDivisionError):
            continue
        if rate > 0:
            return rate
    return 0.0


def _shrink_filter(stream: dict[str, Any]) -> str:
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    if max(width, height) <= MAX_FRAME_SIDE:
        return ""
    side = MAX_FRAME_SIDE
    return f",scale=w={side}:h={side}:force_original_aspect_ratio=decrease:flags=area"


class _streaming:
    """A program whose output is read as it comes, killed when `timeout_s` runs out.

    Frames of a long video never sit in memory together; stderr goes to a temporary file so
    a chatty program cannot block on a full pipe.
    """

    def __init__(self, command: list[str], timeout_s: float) -> None:
        self.command = command
        self.timeout_s = timeout_s
        self.timed_out = threading.Event()

    def __enter__(self) -> IO[bytes]:
        self.errors = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(  # noqa: S603 (fixed program, our arguments)
                self.command, stdout=subprocess.PIPE, stderr=self.errors, stdin=subprocess.DEVNULL
            )
        except OSError as error:
            self.errors.close()
            raise ProcessingFailed(f"{self.command[0]} cannot run: {error}") from error
        self.timer = threading.Timer(self.timeout_s, self._kill)
        self.timer.start()
        assert self.process.stdout is not None
        return self.process.stdout

    def _kill(self) -> None:
        self.timed_out.set()
        self.process.kill()

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.timer.cancel()
        if kind is not None:
            self.process.kill()
        self.process.wait()
        assert self.process.stdout is not None
        self.process.stdout.close()
        self.errors.seek(0)
        said = self.errors.read()[-1000:].decode(errors="replace")
        self.errors.close()
        if self.timed_out.is_set():
            raise ProcessingFailed(f"{self.command[0]} took longer than {self.timeout_s} s")
        if kind is None and self.process.returncode != 0:
            raise ProcessingFailed(f"{self.command[0]} failed: {said}")


def _ppm_frames(stream: IO[bytes]) -> Iterator[np.ndarray]:
    """RGB frames from a stream of binary PPM pictures (P6, 8 bits), each with its own size."""
    while True:
        header = _ppm_header(stream)
        if header is None:
            return
        width, height = header
        size = width * height * 3
        data = stream.read(size)
        if len(data) != size:
            raise ProcessingFailed("a video frame was cut short")
        yield np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)


def _ppm_header(stream: IO[bytes]) -> tuple[int, int] | None:
    tokens: list[bytes] = []
    token = b""
    while len(tokens) < 4:
        char = stream.read(1)
        if not char:
            if tokens or token:
                raise ProcessingFailed("a video frame header was cut short")
            return None
        if char.isspace():
            if token:
                tokens.append(token)
                token = b""
        else:
            token += char
    magic, width, height, maximum = tokens
    if magic != b"P6" or maximum != b"255":
        raise ProcessingFailed(f"unexpected frame format {magic!r} {maximum!r}")
    return int(width), int(height)


def vpdq_match(
    query: Sequence[FrameHash],
    target: Sequence[FrameHash],
    *,
    distance: int = VPDQ_DISTANCE,
    min_quality: int = VPDQ_QUALITY,
) -> tuple[float, float]:
    """(% of the query's frames found in the target, % of the target's found in the query).

    As vpdq's match_two_hash_brute: frames below min_quality are left out, identical hashes
    counted once, and a frame is found when a frame of the other video is at Hamming distance
    strictly below `distance`. Either side left empty gives (0, 0).
    """
    query_words = _usable(query, min_quality)
    target_words = _usable(target, min_quality)
    if not len(query_words) or not len(target_words):
        return 0.0, 0.0
    target_found = np.zeros(len(target_words), dtype=bool)
    query_found = 0
    for start in range(0, len(query_words), 256):  # bounded memory for long videos
        rows = query_words[start : start + 256]
        distances = np.bitwise_count(rows[:, None, :] ^ target_words[None, :, :]).sum(axis=2)
        close = distances < distance
        query_found += int(close.any(axis=1).sum())
        target_found |= close.any(axis=0)
    return (
        100.0 * query_found / len(query_words),
        100.0 * float(target_found.sum()) / len(target_words),
    )


def _usable(frames: Sequence[FrameHash], min_quality: int) -> np.ndarray:
    """The distinct hashes of good enough frames, each as four 64-bit words."""
    distinct = dict.fromkeys(frame.pdq for frame in frames if frame.quality >= min_quality)
    words = [bytes.fromhex(pdq) for pdq in distinct if len(pdq) == PDQ_HEX_DIGITS]
    if not words:
        return np.zeros((0, 4), dtype=np.uint64)
    return np.frombuffer(b"".join(words), dtype=">u8").astype(np.uint64).reshape(-1, 4)


def is_vpdq_match(
    query: Sequence[FrameHash],
    target: Sequence[FrameHash],
    *,
    threshold_percent: float = VPDQ_MATCH_PERCENT,
    distance: int = VPDQ_DISTANCE,
    min_quality: int = VPDQ_QUALITY,
) -> bool:
    """The same video by the Hasher-Matcher-Actioner's rule: each side's frames are at least
    threshold_percent found in the other."""
    query_found, target_found = vpdq_match(
        query, target, distance=distance, min_quality=min_quality
    )
    return query_found >= threshold_percent and target_found >= threshold_percent


# --- sounds: Chromaprint --------------------------------------------------------------------


def audio_fingerprint(
    path: Path, *, timeout_s: float = 120, max_seconds: int = 120
) -> tuple[list[int], float]:
    """Chromaprint's raw fingerprint (unsigned 32-bit words) of the first `max_seconds` of
    sound, and the sound's duration. A sound too short to fingerprint (under ~2.5 s) gives
    ([], 0.0)."""
    # -ignore-errors: this fpcalc reports the end of every file as a decoding error.
    command = [FPCALC, "-raw", "-json", "-ignore-errors", "-length", str(max_seconds)]
    command.append(media_url(path))
    try:
        output = run_tool(command, timeout_s=timeout_s)
    except ProcessingFailed as failure:
        if "Empty fingerprint" in str(failure):
            return [], 0.0
        raise
    try:
        result = json.loads(output)
        words = [int(word) & 0xFFFFFFFF for word in result["fingerprint"]]
        return words, float(result["duration"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        raise ProcessingFailed(f"fpcalc wrote an unexpected answer: {error}") from error


def audio_similarity(
    a: Sequence[int], b: Sequence[int], *, min_overlap: int = MIN_OVERLAP_WORDS
) -> float:
    """How alike two Chromaprint fingerprints are, from 0 (unrelated) to 1 (the same).

    Every alignment of the two with at least `min_overlap` words in common (or all of the
    shorter one, if shorter) is tried; at the best one, the bit error rate of the overlapping
    words is e. Unrelated sounds agree on about half the bits (e near 0.5) so the score is
    max(0, 1 - 2e): near 0 for different sounds, near 1 for the same sound, about 0.6-0.9 for
    the same sound re-encoded. AUDIO_MATCH_SIMILARITY is a sensible match threshold.
    Fingerprints shorter than 4 words (under ~2.5 s of sound) score 0.
    """
    first = np.asarray(a, dtype=np.uint32)
    second = np.asarray(b, dtype=np.uint32)
    shorter = min(len(first), len(second))
    if shorter < 4:
        return 0.0
    needed = min(min_overlap, shorter)
    best = 1.0
    for offset in range(-(len(second) - needed), len(first) - needed + 1):
        left = first[max(offset, 0) :]
        right = second[max(-offset, 0) :]
        overlap = min(len(left), len(right))
        if overlap < needed:
            continue
        errors = np.bitwise_count(left[:overlap] ^ right[:overlap]).sum()
        best = min(best, float(errors) / (32 * overlap))
    return max(0.0, 1.0 - 2.0 * best)
