"""What a sent file really is, told from its bytes alone, and whether we take it.

A file's name and declared type are the sender's claims, so neither is read: the first bytes
say what family the file belongs to (the `filetype` signatures, refined for ISO media files by
the brand in their `ftyp` box), then the file is parsed for real. Pictures are opened with
Pillow, whose header read gives the pixel count before a single pixel is decoded (a
decompression bomb is refused on its header), then decoded, so a truncated file is refused now
rather than in the worker. Videos and sounds are read by ffprobe, under a time limit: a video
needs a moving-picture stream, a sound an audio stream and no moving pictures (cover art is an
attached picture, so an m4a with a cover is still a sound). MP4 and M4A are the same container;
the streams, not the extension, say which one a file is.

Refusals carry a short code for programs and a sentence for people (`Rejected.reason`,
translated when it is read, in the language active then).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import filetype
import pillow_heif
from django.utils.translation import gettext as _
from PIL import Image

FFPROBE = "ffprobe"
SNIFF_BYTES = 8192

# Pillow plug-ins a sniffed picture may be opened with: no other decoder ever sees the bytes.
PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/gif": "GIF",
    "image/heic": "HEIF",
}
# ffprobe's format_name for each sniffed container family.
AV_FORMATS = {
    "iso": "mp4",
    "video/webm": "webm",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/amr": "amr",
}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}

pillow_heif.register_heif_opener()


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"


@dataclass(frozen=True)
class Limits:
    max_pixels: int
    max_video_seconds: float
    max_audio_seconds: float
    timeout_s: float = 30


@dataclass(frozen=True)
class Probed:
    kind: MediaKind
    mime: str
    width: int | None
    height: int | None
    duration_s: float | None


class ProcessingFailed(Exception):
    """A file that was accepted could not be processed (a program failed or ran out of time)."""


class ToolMissing(ProcessingFailed):
    """A program we need is not installed: the machine, not the file, is at fault."""


class Rejected(Exception):
    """A file we do not take. `code` is one of empty, type, corrupt, pixels, duration."""

    CODES = ("empty", "type", "corrupt", "pixels", "duration")

    def __init__(self, code: str, detail: str = "", **params: float) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail  # for logs, never shown to the sender
        self.params = params

    @property
    def reason(self) -> str:
        """One sentence for the sender, in the active language."""
        if self.code == "empty":
            return _("The file is empty.")
        if self.code == "type":
            return _(
                "This kind of file is not accepted: send a photo (JPEG, PNG, WebP, GIF or HEIC), "
                "a video (MP4, MOV, WebM or 3GP) or a sound (OGG, MP3, AMR or M4A)."
            )
        if self.code == "corrupt":
            return _("The file is damaged or incomplete and cannot be opened.")
        if self.code == "pixels":
            numbers = {
                "pixels": _millions(self.params.get("pixels", 0)),
                "limit": _millions(self.params.get("limit", 0)),
            }
            if not self.params.get("pixels"):
                return _("The picture is too large: at most %(limit)s million pixels.") % numbers
            return (
                _("The picture is too large: %(pixels)s million pixels, at most %(limit)s million.")
                % numbers
            )
        return _("The recording is too long: %(seconds)s seconds, at most %(limit)s.") % {
            "seconds": f"{self.params.get('seconds', 0):.0f}",
            "limit": f"{self.params.get('limit', 0):g}",
        }


def _millions(pixels: float) -> str:
    millions = pixels / 1_000_000
    return f"{millions:.0f}" if millions >= 100 else f"{millions:.3g}"


def probe(path: Path, limits: Limits) -> Probed:
    """What the file at `path` is, or Rejected saying why we do not take it."""
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    if not head:
        raise Rejected("empty")
    family = sniff(head)
    if family is None:
        raise Rejected("type", "no accepted signature in the first bytes")
    if family in PILLOW_FORMATS:
        return _probe_image(path, family, limits)
    return _probe_av(path, family, head, limits)


def sniff(head: bytes) -> str | None:
    """The accepted family the first bytes belong to: a picture's MIME type, "iso" for the
    MP4/MOV/3GP/M4A container, or another audio/video container's MIME type; None otherwise."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return "image/heic"
        return None if brand in {b"avif", b"avis", b"crx "} else "iso"
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    if mime == "image/apng":
        return "image/png"  # animated PNG is PNG to Pillow
    if mime in PILLOW_FORMATS or mime in AV_FORMATS:
        return mime
    return None


# --- pictures -------------------------------------------------------------------------------


def _probe_image(path: Path, mime: str, limits: Limits) -> Probed:
    try:
        with Image.open(path, formats=[PILLOW_FORMATS[mime]]) as image:
            width, height = image.size
            _check_pixels(width, height, limits)
            _decode(image)
    except Image.DecompressionBombError as bomb:
        pixels = _bomb_pixels(bomb)
        raise Rejected("pixels", str(bomb), pixels=pixels, limit=limits.max_pixels) from None
    except Rejected:
        raise
    except Exception as error:  # Pillow raises many types for bad bytes; all mean the same
        raise Rejected("corrupt", f"{type(error).__name__}: {error}") from error
    return Probed(MediaKind.IMAGE, mime, width, height, None)


def _check_pixels(width: int, height: int, limits: Limits) -> None:
    if width <= 0 or height <= 0:
        raise Rejected("corrupt", f"{width}x{height} picture")
    if width * height > limits.max_pixels:
        raise Rejected(
            "pixels", f"{width}x{height}", pixels=width * height, limit=limits.max_pixels
        )


def _decode(image: Image.Image) -> None:
    """Decode the (first frame's) pixels, so truncated or garbled data is found now.

    JPEG decodes at a reduced scale (the DCT's draft mode): every byte of entropy-coded data is
    still read and checked, at a fraction of the cost.
    """
    if image.format == "JPEG":
        image.draft(image.mode, (512, 512))
    image.load()


def _bomb_pixels(bomb: Image.DecompressionBombError) -> int:
    """The pixel count Pillow's guard read from the header, as its message states it."""
    found = re.search(r"\((\d+) pixels\)", str(bomb))
    return int(found.group(1)) if found else 0


# --- videos and sounds ----------------------------------------------------------------------


def _probe_av(path: Path, family: str, head: bytes, limits: Limits) -> Probed:
    report = ffprobe(path, timeout_s=limits.timeout_s)
    format_names = set(str(report.get("format", {}).get("format_name", "")).split(","))
    if AV_FORMATS[family] not in format_names:
        raise Rejected("corrupt", f"sniffed {family}, ffprobe read {format_names}")
    streams = report.get("streams", [])
    moving = [s for s in streams if s.get("codec_type") == "video" and not _is_still(s)]
    sounds = [s for s in streams if s.get("codec_type") == "audio"]
    if moving:
        kind, stream = MediaKind.VIDEO, moving[0]
    elif sounds:
        kind, stream = MediaKind.AUDIO, sounds[0]
    else:
        raise Rejected("corrupt", "no video or audio stream")
    if kind == MediaKind.VIDEO and family in {"audio/ogg", "audio/mpeg", "audio/amr"}:
        raise Rejected("type", f"moving pictures in {family}")
    duration = _duration(report, stream) or packet_duration(path, stream, limits.timeout_s)
    if duration is None:
        raise Rejected("corrupt", "no duration")
    cap = limits.max_video_seconds if kind == MediaKind.VIDEO else limits.max_audio_seconds
    if duration > cap:
        raise Rejected("duration", f"{duration:.1f} s", seconds=duration, limit=cap)
    width, height = _display_size(stream) if kind == MediaKind.VIDEO else (None, None)
    return Probed(kind, _av_mime(family, kind, head), width, height, duration)


def ffprobe(path: Path, *, timeout_s: float) -> dict[str, Any]:
    """ffprobe's JSON report on the container and its streams; Rejected("corrupt") if ffprobe
    cannot read the file (or takes longer than timeout_s)."""
    command = [FFPROBE, "-v", "error", "-print_format", "json", "-show_format", "-show_streams"]
    output = _run_ffprobe([*command, media_url(path)], timeout_s)
    try:
        report = json.loads(output)
    except json.JSONDecodeError as error:
        raise Rejected("corrupt", "ffprobe wrote no JSON") from error
    if not isinstance(report, dict) or "format" not in report:
        raise Rejected("corrupt", "ffprobe found no container")
    return report


def packet_duration(path: Path, stream: dict[str, Any], timeout_s: float) -> float | None:
    """The end of the stream's last packet, for files whose header states no duration (WebM
    from browsers' recorders): a demux without decoding, so quick even for long files."""
    index = str(stream.get("index", 0))
    command = [FFPROBE, "-v", "error", "-select_streams", index, "-show_entries"]
    command += ["packet=pts_time,duration_time", "-of", "csv=p=0", media_url(path)]
    end = None
    for line in _run_ffprobe(command, timeout_s).decode(errors="replace").splitlines():
        parts = line.split(",")
        try:
            stop = float(parts[0]) + (float(parts[1]) if len(parts) > 1 and parts[1] else 0.0)
        except ValueError:
            continue
        end = stop if end is None else max(end, stop)
    return end


def _run_ffprobe(command: list[str], timeout_s: float) -> bytes:
    try:
        return run_tool(command, timeout_s=timeout_s)
    except ToolMissing:
        raise
    except ProcessingFailed as failure:  # the file, not our machine, is at fault
        raise Rejected("corrupt", str(failure)) from failure


def media_url(path: Path) -> str:
    """A path as ffmpeg's programs must read it: the file protocol, absolute, so no name is
    ever taken for an option, a URL or another protocol (concat:, http:...)."""
    return f"file:{path.absolute()}"


def run_tool(command: list[str], *, timeout_s: float) -> bytes:
    """Run a program (arguments as a list, never a shell) and return what it wrote; a failure,
    a missing program or a run past timeout_s is ProcessingFailed with the program's words."""
    try:
        done = subprocess.run(  # noqa: S603 (fixed programs, our own arguments)
            command, capture_output=True, timeout=timeout_s, check=False, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as error:
        raise ProcessingFailed(f"{command[0]} took longer than {timeout_s} s") from error
    except OSError as error:
        raise ToolMissing(f"{command[0]} cannot run: {error}") from error
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip()[-1000:]
        raise ProcessingFailed(f"{command[0]} failed ({done.returncode}): {said}")
    return done.stdout


def _is_still(stream: dict[str, Any]) -> bool:
    """A cover picture (an mp3's or m4a's artwork) carried as a video stream."""
    return bool(stream.get("disposition", {}).get("attached_pic") == 1)


def _duration(report: dict[str, Any], stream: dict[str, Any]) -> float | None:
    stated: list[Any] = [report["format"].get("duration"), stream.get("duration")]
    for value in stated:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            continue
        if seconds > 0:
            return seconds
    return None


def _display_size(stream: dict[str, Any]) -> tuple[int | None, int | None]:
    """Width and height as shown: a phone's portrait video is stored landscape and rotated."""
    width, height = stream.get("width"), stream.get("height")
    if not isinstance(width, int) or not isinstance(height, int):
        return None, None
    rotation = _rotation(stream)
    return (height, width) if rotation % 180 == 90 else (width, height)


def _rotation(stream: dict[str, Any]) -> int:
    for side in stream.get("side_data_list", []):
        if "rotation" in side:
            return int(float(side["rotation"]))
    try:
        return int(stream.get("tags", {}).get("rotate", 0))
    except ValueError:
        return 0


def _av_mime(family: str, kind: MediaKind, head: bytes) -> str:
    if family == "iso":
        brand = head[8:12]
        if kind == MediaKind.AUDIO:
            return "audio/3gpp" if brand.startswith(b"3g") else "audio/mp4"
        if brand.startswith(b"3g"):
            return "video/3gpp"
        return "video/quicktime" if brand == b"qt  " else "video/mp4"
    if family == "video/webm":
        return "video/webm" if kind == MediaKind.VIDEO else "audio/webm"
    return family
