"""Generators of small media files for tests: pictures, clips and sounds made on the spot.

Every file is made here from Pillow drawings, numpy signals or `ffmpeg -f lavfi` sources, so no
test downloads anything and each one states what it feeds in. The generators are deterministic
(a `seed` picks the content), quick (a few hundred milliseconds at most for a 3 s clip) and
reusable by any app's tests: `make_jpeg(tmp_path / "a.jpg", (640, 480))`.

A few formats Debian's ffmpeg cannot write are made by hand from their published layouts: AMR
(no encoder in the Debian build; an AMR-NB file is a magic line and 32-byte frames, any payload
of which decodes) and the PNG decompression bomb (a real IHDR announcing 30000x30000 pixels
over a zlib stream of zeros).
"""

from __future__ import annotations

import io
import math
import struct
import subprocess
import wave
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FFMPEG = "ffmpeg"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
LATIN_FONTS = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "DejaVuSans.ttf")
# Fonts known to carry the Arabic block; DejaVu Sans does.
ARABIC_FONTS = ("NotoNaskhArabic-Regular.ttf", "NotoSansArabic-Regular.ttf", "DejaVuSans.ttf")

CAMERA_SERIAL = "SN-4411-0982-TEST"
GPS_LATITUDE = (1.0, 17.0, 34.56)  # 1° 17' 34.56" S, Nairobi
XMP_PACKET = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    b'xmp:CreatorTool="Secret Phone 12" xmp:Label="home-address"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def ffmpeg(*args: str, timeout: float = 60) -> None:
    """Run ffmpeg quietly; a failure shows ffmpeg's own words in the test output."""
    command = [FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]
    done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {done.stderr.decode(errors='replace')[-2000:]}")


# --- pictures -------------------------------------------------------------------------------


def photo(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """A photograph-like RGB picture: smooth gradients, a few shapes and mild noise.

    Enough structure for PDQ to give a quality near 100 and for JPEG to behave as on photos;
    a different seed gives a picture whose PDQ hash is far away.
    """
    rng = np.random.default_rng(seed)
    width, height = size
    xs = np.arange(width, dtype=np.float32) / width
    ys = np.arange(height, dtype=np.float32) / height
    channels = []
    for _ in range(3):
        fx, fy = rng.uniform(0.5, 3.0, size=2)
        phase = rng.uniform(0, 2 * math.pi)
        # sin(a + b) as outer products: a plane wave without a full-size trigonometry pass
        across, down = 2 * math.pi * fx * xs, 2 * math.pi * fy * ys + phase
        wave_ = np.outer(np.cos(down), np.sin(across)) + np.outer(np.sin(down), np.cos(across))
        channels.append(127 + 90 * wave_)
    pixels = np.stack(channels, axis=-1)
    pixels += 6.0 * rng.standard_normal(size=pixels.shape, dtype=np.float32)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        x1 = x0 + int(rng.integers(width // 10, width // 2 + 2))
        y1 = y0 + int(rng.integers(height // 10, height // 2 + 2))
        colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
    return image


def camera_exif(orientation: int = 1, gps: bool = True) -> Image.Exif:
    """EXIF as a phone writes it: make, model, a body serial number and, if asked, GPS."""
    exif = Image.Exif()
    exif[0x010F] = "Baraza Test Camera Co."  # Make
    exif[0x0110] = "Model T-1000"  # Model
    exif[0x0112] = orientation  # Orientation
    exif[0x0131] = "Secret Phone OS 12.1"  # Software
    exif.get_ifd(0x8769)[0xA431] = CAMERA_SERIAL  # BodySerialNumber
    exif.get_ifd(0x8769)[0x9003] = "2026:03:01 08:15:00"  # DateTimeOriginal
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "S"  # GPSLatitudeRef
        gps_ifd[2] = GPS_LATITUDE
        gps_ifd[3] = "E"  # GPSLongitudeRef
        gps_ifd[4] = (36.0, 49.0, 12.0)
    return exif


def make_jpeg(
    path: Path,
    size: tuple[int, int] = (640, 480),
    gps_exif: bool = True,
    *,
    seed: int = 0,
    orientation: int = 1,
    quality: int = 90,
    image: Image.Image | None = None,
) -> Path:
    """A camera JPEG with EXIF (serial number, GPS unless gps_exif=False), XMP, a comment and
    an ICC colour profile."""
    picture = image if image is not None else photo(size, seed)
    picture.convert("RGB").save(
        path,
        "JPEG",
        quality=quality,
        exif=camera_exif(orientation, gps=gps_exif).tobytes(),
        xmp=XMP_PACKET,
        comment=b"taken at 14 Riverside Drive",
        icc_profile=srgb_profile(),
    )
    return path


def srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def make_png(
    path: Path, size: tuple[int, int] = (320, 240), *, mode: str = "RGBA", seed: int = 0
) -> Path:
    """A PNG in the given mode; RGBA ones have a transparent band across the top."""
    picture = photo(size, seed)
    if mode == "RGBA":
        alpha = Image.new("L", size, 255)
        ImageDraw.Draw(alpha).rectangle((0, 0, size[0], size[1] // 4), fill=0)
        picture.putalpha(alpha)
    elif mode == "I;16":
        grey = np.asarray(picture.convert("L"), dtype=np.uint16) * 257
        picture = Image.frombytes("I;16", size, grey.astype("<u2").tobytes())
    else:
        picture = picture.convert(mode)
    picture.save(path, "PNG")
    return path


def make_webp(path: Path, size: tuple[int, int] = (320, 240), *, seed: int = 0) -> Path:
    photo(size, seed).save(path, "WEBP", quality=80)
    return path


def make_gif(
    path: Path, size: tuple[int, int] = (160, 120), *, frames: int = 3, seed: int = 0
) -> Path:
    """An animated GIF; each frame is a different picture, the first one made from `seed`."""
    pictures = [photo(size, seed + index).convert("P") for index in range(frames)]
    pictures[0].save(path, "GIF", save_all=True, append_images=pictures[1:], duration=200, loop=0)
    return path


def make_heic(path: Path, size: tuple[int, int] = (320, 240), *, seed: int = 0) -> Path:
    """An HEIC as iPhones write them (HEVC in HEIF), with EXIF carrying GPS."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    photo(size, seed).save(path, "HEIF", quality=80, exif=camera_exif().tobytes())
    return path


def font(size: int, candidates: tuple[str, ...] = LATIN_FONTS) -> ImageFont.FreeTypeFont | None:
    """The first of the named TrueType fonts found on this machine, or None."""
    for name in candidates:
        for folder in FONT_DIRS:
            for found in sorted(folder.rglob(name)) if folder.is_dir() else []:
                return ImageFont.truetype(str(found), size)
    return None


def make_text_image(
    path: Path,
    text: str,
    *,
    font_size: int = 72,
    fonts: tuple[str, ...] = LATIN_FONTS,
    direction: str | None = None,
) -> Path:
    """Black words on white, large and with a margin, as a poster photographed head on."""
    face: ImageFont.FreeTypeFont | ImageFont.ImageFont = font(font_size, fonts) or (
        ImageFont.load_default(size=font_size)
    )
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    box = measure.textbbox((0, 0), text, font=face, direction=direction)
    left, top, right, bottom = (int(edge) for edge in box)
    margin = font_size
    canvas = Image.new("RGB", (right - left + 2 * margin, bottom - top + 2 * margin), "white")
    ImageDraw.Draw(canvas).text(
        (margin - left, margin - top), text, fill="black", font=face, direction=direction
    )
    canvas.save(path)
    return path


def png_bomb(path: Path, width: int = 30000, height: int = 30000) -> Path:
    """A small PNG whose header announces width x height pixels of 1-bit grey, all zero.

    The IDAT really holds every row (zeros compress ~1000:1), so a decoder that trusts the
    header allocates the whole picture: it is a decompression bomb, not just a lying header.
    """
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    chunks = [compressor.compress(row) for _ in range(height)]
    idat = b"".join(chunks) + compressor.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


# --- clips and sounds -----------------------------------------------------------------------

H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
VP8 = ["-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "16", "-lag-in-frames", "0"]
VIDEO_CODECS = {
    "mp4": [*H264, "-c:a", "aac"],
    "mov": [*H264, "-c:a", "aac"],
    "3gp": [*H264, "-c:a", "aac"],
    "webm": [*VP8, "-b:v", "300k", "-c:a", "libopus"],
}
VIDEO_MUXERS = {"mp4": "mp4", "mov": "mov", "3gp": "3gp", "webm": "webm"}


def make_video(
    path: Path,
    fmt: str = "mp4",
    seconds: float = 2.0,
    *,
    size: tuple[int, int] = (320, 240),
    rate: int = 15,
    pattern: str = "testsrc2",
    audio: bool = True,
    metadata: dict[str, str] | None = None,
    rotate: int | None = None,
) -> Path:
    """A clip of a moving lavfi test pattern (and a tone), in mp4, mov, 3gp or webm.

    `pattern` is any lavfi video source (testsrc2, smptebars, mandelbrot...): different
    patterns make clips vPDQ must not match. `metadata` becomes container tags (title,
    location...); `rotate` sets the display-rotation tag phones write.
    """
    inputs = ["-f", "lavfi", "-i", f"{pattern}=size={size[0]}x{size[1]}:rate={rate}"]
    if audio:
        inputs += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    tags: list[str] = []
    for key, value in (metadata or {}).items():
        tags += ["-metadata", f"{key}={value}"]
    codecs = VIDEO_CODECS[fmt] if audio else VIDEO_CODECS[fmt][: VIDEO_CODECS[fmt].index("-c:a")]
    muxer = ["-f", VIDEO_MUXERS[fmt]]
    if rotate is None:
        ffmpeg(*inputs, "-t", str(seconds), *codecs, *tags, *muxer, str(path))
        return path
    # This ffmpeg writes the rotation matrix only when copying streams, as phones' files have it.
    plain = path.with_name(path.name + ".plain")
    ffmpeg(*inputs, "-t", str(seconds), *codecs, *tags, *muxer, str(plain))
    try:
        ffmpeg(
            "-i", str(plain), "-c", "copy", "-metadata:s:v:0", f"rotate={rotate}", *muxer, str(path)
        )
    finally:
        plain.unlink(missing_ok=True)
    return path


AUDIO_RATE = 22050


def melody(seconds: float, seed: int = 0, rate: int = AUDIO_RATE) -> np.ndarray:
    """A tune of random notes (0.25-0.5 s each, two voices) as float samples in [-1, 1].

    Chromaprint listens to pitch classes over time, so a tune gives it a fingerprint that
    changes along the clip; a different seed is a different tune.
    """
    rng = np.random.default_rng(seed)
    samples: list[np.ndarray] = []
    total = int(seconds * rate)
    while sum(len(part) for part in samples) < total:
        length = int(rng.uniform(0.25, 0.5) * rate)
        t = np.arange(length) / rate
        notes = 220.0 * 2 ** (rng.integers(0, 24, size=2) / 12)
        tone = sum(np.sin(2 * np.pi * note * t) for note in notes) / 2
        envelope = np.minimum(1.0, np.minimum(t, t[::-1]) * 40)
        samples.append(tone * envelope)
    signal = np.concatenate(samples)[:total]
    signal += rng.normal(scale=0.02, size=total)
    return np.clip(signal * 0.7, -1.0, 1.0)


def make_wav(path: Path, seconds: float = 3.0, *, seed: int = 0) -> Path:
    samples = (melody(seconds, seed) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(AUDIO_RATE)
        out.writeframes(samples.tobytes())
    return path


AUDIO_CODECS = {
    "ogg-opus": ["-c:a", "libopus", "-b:a", "32k", "-f", "ogg"],
    "ogg-vorbis": ["-c:a", "libvorbis", "-q:a", "3", "-f", "ogg"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "96k", "-f", "mp3"],
    "m4a": ["-c:a", "aac", "-b:a", "96k", "-f", "ipod"],
    "wav": ["-c:a", "pcm_s16le", "-f", "wav"],
}


def make_audio(
    path: Path,
    fmt: str = "ogg-opus",
    seconds: float = 3.0,
    *,
    seed: int = 0,
    metadata: dict[str, str] | None = None,
    cover_art: bool = False,
) -> Path:
    """A tune (see `melody`) in ogg-opus (a WhatsApp voice note), ogg-vorbis, mp3, amr or m4a.

    `cover_art` adds a picture as an attached-picture stream (mp3 and m4a), as music files
    carry: still a sound, not a video.
    """
    if fmt == "amr":
        return make_amr(path, seconds, seed=seed)
    source = make_wav(path.with_name(path.name + ".source.wav"), seconds, seed=seed)
    args = ["-i", str(source)]
    maps = ["-map", "0:a"]
    if cover_art:
        art = path.with_name(path.name + ".cover.jpg")
        photo((64, 64), seed).save(art, "JPEG")
        args += ["-i", str(art)]
        maps += ["-map", "1:v", "-c:v", "mjpeg", "-disposition:v:0", "attached_pic"]
    tags: list[str] = []
    for key, value in (metadata or {}).items():
        tags += ["-metadata", f"{key}={value}"]
    try:
        ffmpeg(*args, *maps, *AUDIO_CODECS[fmt], *tags, str(path))
    finally:
        source.unlink(missing_ok=True)
        path.with_name(path.name + ".cover.jpg").unlink(missing_ok=True)
    return path


AMR_MAGIC = b"#!AMR\n"
AMR_MODE_12_2 = 0x3C  # frame header: mode 7 (12.2 kbit/s), quality bit set
AMR_PAYLOAD_BYTES = 31  # 244 bits rounded up to whole bytes; 50 frames a second


def make_amr(path: Path, seconds: float = 3.0, *, seed: int = 0) -> Path:
    """An AMR-NB voice memo made frame by frame: any 12.2 kbit/s payload decodes (as noise)."""
    rng = np.random.default_rng(seed)
    frames = io.BytesIO()
    frames.write(AMR_MAGIC)
    for _ in range(int(seconds * 50)):
        frames.write(bytes([AMR_MODE_12_2]))
        frames.write(rng.integers(0, 256, size=AMR_PAYLOAD_BYTES, dtype=np.uint8).tobytes())
    path.write_bytes(frames.getvalue())
    return path


def reencode_audio(source: Path, target: Path, fmt: str = "mp3") -> Path:
    """The same sound passed through another codec, as a forwarded voice note is."""
    ffmpeg("-i", str(source), "-map", "0:a", *AUDIO_CODECS[fmt], str(target))
    return target


def reencode_video(source: Path, target: Path, *, height: int = 180, crf: int = 32) -> Path:
    """The same clip smaller and more compressed, as a messaging app forwards it."""
    ffmpeg(
        "-i", str(source), "-vf", f"scale=-2:{height}", "-c:v", "libx264", "-preset",
        "ultrafast", "-crf", str(crf), "-an", "-f", "mp4", str(target),
    )  # fmt: skip
    return target


def jpeg_bytes(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()
