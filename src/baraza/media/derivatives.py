"""What reviewers see of a sent file: a re-encoded copy with every piece of metadata gone.

Photos carry the sender's location (EXIF GPS), the phone's serial number, the time, editing
software and XMP; videos carry location and creation tags in their container. Reviewers and
anyone a case is shared with see only derivatives, made so nothing of that survives by
construction rather than by stripping known fields: pictures are decoded to pixels and a new
JPEG is written from those pixels alone (turned upright first, colour-managed to sRGB, since
the orientation and the colour profile are the only metadata that change how a picture looks);
videos and sounds are re-encoded by ffmpeg with all container, stream and chapter metadata
dropped, in formats every browser plays (MP4 H.264/AAC, Ogg Opus). The original is kept apart,
as evidence, and never served to reviewers.

Sizes: pictures at most 1600 px on the long side; videos at most 1280x720 (720x1280 when
upright: a phone's portrait video keeps its detail rather than shrinking to 405x720).
"""

from __future__ import annotations

import functools
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps

from baraza.media.probe import MediaKind, Probed, ProcessingFailed, media_url, run_tool

IMAGE_LONG_SIDE = 1600
JPEG_QUALITY = 82
THUMBNAIL_QUALITY = 80
VIDEO_LONG_SIDE = 1280
VIDEO_SHORT_SIDE = 720
AUDIO_BITRATE = "48k"
THUMBNAIL_AT_S = 1.0
# Modes Pillow shrinks well; palettes and 16-bit grey are made RGB before shrinking.
SHRINK_IN_OWN_MODE = {"RGB", "RGBA", "L", "LA", "CMYK", "YCbCr"}
FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"
NO_METADATA = [
    "-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact",
    "-flags:v", "+bitexact", "-flags:a", "+bitexact",
]  # fmt: skip


@dataclass(frozen=True)
class Derivative:
    path: Path
    mime: str
    width: int | None
    height: int | None


def make_derivative(
    source: Path, probed: Probed, workdir: Path, *, timeout_s: float = 120
) -> Derivative:
    """A copy of `source` without metadata, in `workdir`: JPEG, MP4 or Ogg Opus."""
    if probed.kind == MediaKind.IMAGE:
        return _image_derivative(source, workdir)
    if probed.kind == MediaKind.VIDEO:
        return _video_derivative(source, workdir, timeout_s)
    return _audio_derivative(source, workdir, timeout_s)


def make_thumbnail(
    source_or_derivative: Path,
    probed: Probed,
    workdir: Path,
    *,
    size: int = 320,
    timeout_s: float = 60,
) -> Path | None:
    """A JPEG at most `size` px on its long side: the picture, or a video's frame at ~1 s.
    Sounds have none."""
    if probed.kind == MediaKind.AUDIO:
        return None
    if probed.kind == MediaKind.IMAGE:
        picture = _open_upright(source_or_derivative, (size, size))
    else:
        picture = _video_frame(source_or_derivative, probed, size, timeout_s)
    picture.thumbnail((size, size))
    return _save_clean_jpeg(picture, workdir, "thumbnail-", THUMBNAIL_QUALITY)


# --- pictures -------------------------------------------------------------------------------


def as_rgb(
    image: Image.Image, *, background: tuple[int, int, int] | None = (255, 255, 255)
) -> Image.Image:
    """8-bit RGB of a picture in any Pillow mode. Transparency is laid on `background`, or
    dropped when background is None (as PDQ's reference does). 16-bit grey is scaled, not
    clipped to white as Pillow's own conversion does. Always a new image."""
    if image.mode.startswith("I") or image.mode == "F":
        image = _eight_bit_grey(image)
    transparent = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or (
        image.mode == "P" and "transparency" in image.info
    )
    if not transparent or background is None:
        return image.convert("RGB")
    canvas = Image.new("RGBA", image.size, (*background, 255))
    return Image.alpha_composite(canvas, image.convert("RGBA")).convert("RGB")


def _eight_bit_grey(image: Image.Image) -> Image.Image:
    values = np.asarray(image, dtype=np.float64)
    if image.mode.startswith("I;16") or values.max(initial=0) > 255:
        values = values / 257
    return Image.fromarray(np.clip(values + 0.5, 0, 255).astype(np.uint8), "L")


def _image_derivative(source: Path, workdir: Path) -> Derivative:
    picture = _open_upright(source, (IMAGE_LONG_SIDE, IMAGE_LONG_SIDE))
    path = _save_clean_jpeg(picture, workdir, "derivative-", JPEG_QUALITY)
    return Derivative(path, "image/jpeg", picture.width, picture.height)


def _open_upright(path: Path, box: tuple[int, int]) -> Image.Image:
    """The first frame, shrunk to fit `box`, turned as EXIF says, in sRGB, flattened on white."""
    try:
        with Image.open(path) as image:
            image.seek(0)
            shrunk: Image.Image
            if image.mode in SHRINK_IN_OWN_MODE:
                image.thumbnail(box)  # JPEG decodes at a reduced scale: fast for big photos
                shrunk = image
            else:
                shrunk = as_rgb(image)
                shrunk.info = dict(image.info)
                shrunk.thumbnail(box)
            upright = ImageOps.exif_transpose(shrunk)
            picture = as_rgb(_in_srgb(upright))
    except ProcessingFailed:
        raise
    except Exception as error:  # Pillow's many error types all mean "cannot read this"
        raise ProcessingFailed(f"cannot read the picture {path.name}: {error}") from error
    picture.thumbnail(box)
    return picture


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _in_srgb(image: Image.Image) -> Image.Image:
    """Colours as the embedded profile meant them (a phone's Display P3, a print CMYK), in
    sRGB, so the picture looks the same once the profile is gone."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in {"RGB", "CMYK", "L"}:
        return image
    try:
        embedded = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, embedded, _srgb(), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the pixels as they are
    return converted if converted is not None else image


def _save_clean_jpeg(picture: Image.Image, workdir: Path, prefix: str, quality: int) -> Path:
    """Write a JPEG built from the pixels alone: a fresh image has no info to carry along."""
    pixels = as_rgb(picture)
    clean = Image.frombytes("RGB", pixels.size, pixels.tobytes())
    path = _new_file(workdir, prefix, ".jpg")
    try:
        clean.save(path, "JPEG", quality=quality, optimize=True)
    except Exception as error:
        path.unlink(missing_ok=True)
        raise ProcessingFailed(f"cannot write {path.name}: {error}") from error
    return path


def _new_file(workdir: Path, prefix: str, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(dir=workdir, prefix=prefix, suffix=suffix)
    os.close(handle)
    return Path(name)


# --- videos and sounds ----------------------------------------------------------------------


@functools.cache
def _encoders() -> frozenset[str]:
    listing = run_tool([FFMPEG, "-hide_banner", "-encoders"], timeout_s=30).decode()
    names = (line.split()[1] for line in listing.splitlines() if len(line.split()) > 1)
    return frozenset(names)


def video_codec() -> list[str]:
    """H.264 by x264 where ffmpeg has it, else the best encoder this ffmpeg offers."""
    available = _encoders()
    if "libx264" in available:
        return ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"]
    if "libopenh264" in available:
        return ["-c:v", "libopenh264", "-b:v", "1500k", "-pix_fmt", "yuv420p"]
    return ["-c:v", "mpeg4", "-q:v", "5", "-pix_fmt", "yuv420p"]


def audio_codec() -> list[str]:
    if "libopus" in _encoders():
        return ["-c:a", "libopus", "-b:a", AUDIO_BITRATE]
    return ["-c:a", "opus", "-strict", "-2", "-b:a", AUDIO_BITRATE, "-ar", "48000"]


def _fit_filter(long_side: int, short_side: int) -> str:
    """Shrink (never enlarge) into long x short, turned to the video's orientation, even sides."""
    wide = "gte(iw,ih)"
    width = f"'min(iw,if({wide},{long_side},{short_side}))'"
    height = f"'min(ih,if({wide},{short_side},{long_side}))'"
    return f"scale=w={width}:h={height}:force_original_aspect_ratio=decrease:force_divisible_by=2"


def _video_derivative(source: Path, workdir: Path, timeout_s: float) -> Derivative:
    path = _new_file(workdir, "derivative-", ".mp4")
    command = [FFMPEG, "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", media_url(source)]
    command += [
        "-map",
        "0:V:0",
        "-map",
        "0:a:0?",
        "-vf",
        _fit_filter(VIDEO_LONG_SIDE, VIDEO_SHORT_SIDE),
    ]
    command += [*video_codec(), "-c:a", "aac", "-b:a", "128k", *NO_METADATA]
    command += ["-movflags", "+faststart", "-max_muxing_queue_size", "1024"]
    _encode([*command, "-f", "mp4", media_url(path)], path, timeout_s)
    width, height = _video_size(path, timeout_s)
    return Derivative(path, "video/mp4", width, height)


def _audio_derivative(source: Path, workdir: Path, timeout_s: float) -> Derivative:
    path = _new_file(workdir, "derivative-", ".ogg")
    command = [FFMPEG, "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", media_url(source)]
    command += ["-map", "0:a:0", "-vn", *audio_codec(), "-ac", "1", *NO_METADATA]
    _encode([*command, "-f", "ogg", media_url(path)], path, timeout_s)
    return Derivative(path, "audio/ogg", None, None)


def _encode(command: list[str], output: Path, timeout_s: float) -> None:
    try:
        run_tool(command, timeout_s=timeout_s)
    except ProcessingFailed:
        output.unlink(missing_ok=True)
        raise
    if output.stat().st_size == 0:
        output.unlink(missing_ok=True)
        raise ProcessingFailed("ffmpeg wrote nothing")


def _video_size(path: Path, timeout_s: float) -> tuple[int | None, int | None]:
    command = [FFPROBE, "-v", "error", "-select_streams", "v:0", "-show_entries"]
    command += ["stream=width,height", "-print_format", "json", media_url(path)]
    try:
        stream = json.loads(run_tool(command, timeout_s=timeout_s))["streams"][0]
        return int(stream["width"]), int(stream["height"])
    except (ProcessingFailed, json.JSONDecodeError, KeyError, IndexError, ValueError):
        return None, None


def _video_frame(path: Path, probed: Probed, size: int, timeout_s: float) -> Image.Image:
    """A frame about a second in (the very first is often black), turned upright."""
    at = min(THUMBNAIL_AT_S, (probed.duration_s or 0.0) / 2)
    for seek in (at, 0.0) if at > 0 else (0.0,):
        command = [FFMPEG, "-nostdin", "-hide_banner", "-v", "error", "-ss", f"{seek:.3f}"]
        command += ["-i", media_url(path), "-map", "0:V:0", "-frames:v", "1"]
        command += ["-vf", _fit_filter(2 * size, 2 * size), "-f", "image2pipe", "-c:v", "png", "-"]
        picture = run_tool(command, timeout_s=timeout_s)
        if picture:
            try:
                with Image.open(io.BytesIO(picture), formats=["PNG"]) as frame:
                    return as_rgb(frame)
            except Exception as error:
                raise ProcessingFailed(f"ffmpeg gave an unreadable frame: {error}") from error
    raise ProcessingFailed(f"no frame could be read from {path.name}")
