"""How fast the media hashes are, each against the bare work it cannot avoid, in the same run.

Pictures: `pdq_of_image` (open, shrink to 512 px as Meta's reference does, which for JPEG
decodes at a reduced DCT scale, then PDQ) in pictures a second, against (a) the bare
`pdqhash.compute` on the same files' full-size pixels decoded beforehand (the C++ hash alone,
no decoding) and (b) decoding the full-size picture and then `pdqhash.compute` (how the
Hasher-Matcher-Actioner hashes a file). Sets: Meta's 12 reference images (from
../shared/data/pdq/, with each way's largest distance to the reference hashes) and generated
photo-like JPEGs at 640x480, 1600x1200 and 4000x3000.

Videos: `video_frame_hashes` (vPDQ, one frame a second) on a generated 720p clip, in seconds of
video per second of wall time, against a bare decode of the same clip (`ffmpeg -f null`), which
vPDQ cannot avoid since it must decode every frame to pick one a second.

Sounds: `audio_fingerprint` (Chromaprint's fpcalc) on a generated Ogg Opus tune, in seconds of
sound per second; and `audio_similarity` between two 120 s fingerprints.

Run: `uv run python bench/media_hashing.py [--repeat 3] [--video-seconds 30] [--audio-seconds 120]`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image

from baraza.media.hashing import (
    audio_fingerprint,
    audio_similarity,
    bits_to_hex,
    hamming,
    pdq_of_image,
    video_frame_hashes,
)
from baraza.media.tests import files

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "pdq"
SIZES = [(640, 480), (1600, 1200), (4000, 3000)]


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds: the machine's noise only ever adds time."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def full_size_pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def bench_pictures(label: str, paths: list[Path], repeat: int) -> None:
    arrays = [full_size_pixels(path) for path in paths]
    ours = best_of(repeat, lambda: [pdq_of_image(path) for path in paths])
    bare = best_of(repeat, lambda: [pdqhash.compute(array) for array in arrays])
    decoded = best_of(repeat, lambda: [pdqhash.compute(full_size_pixels(p)) for p in paths])
    count = len(paths)
    print(
        f"{label:<22} {count / ours:8.1f}/s   bare compute {count / bare:8.1f}/s"
        f" ({ours / bare:5.2f}x its time)   decode+compute {count / decoded:7.1f}/s"
        f" ({ours / decoded:4.2f}x its time)"
    )


def reference_distances() -> None:
    cases = json.loads((REFERENCE / "expected.json").read_text())
    ours, full = [], []
    for case in cases:
        path = REFERENCE / case["file"]
        ours.append(hamming(pdq_of_image(path)[0], case["pdq"]))
        bits, _ = pdqhash.compute(full_size_pixels(path))
        full.append(hamming(bits_to_hex(bits), case["pdq"]))
    print(f"  bits from Meta's reference hashes: pdq_of_image {ours} (max {max(ours)})")
    print(f"  full-size compute {full} (max {max(full)}; the conformance rule is <= 10)")


def bench_video(folder: Path, seconds: int, repeat: int) -> None:
    started = time.perf_counter()
    clip = files.make_video(folder / "clip.mp4", "mp4", seconds, size=(1280, 720), rate=30)
    made = time.perf_counter() - started
    decode = [files.FFMPEG, "-nostdin", "-v", "error", "-i", str(clip), "-f", "null", "-"]
    bare = best_of(repeat, lambda: subprocess.run(decode, check=True))
    ours = best_of(repeat, lambda: video_frame_hashes(clip))
    frames = len(video_frame_hashes(clip))
    print(
        f"720p30 H.264, {seconds} s (made in {made:.1f} s): vPDQ {seconds / ours:6.1f} s of video/s"
        f" ({frames} frames hashed)   bare decode {seconds / bare:6.1f} s/s"
        f"   ({ours / bare:4.2f}x its time)"
    )


def bench_audio(folder: Path, seconds: int, repeat: int) -> None:
    tune = files.make_audio(folder / "tune.ogg", "ogg-opus", seconds, seed=1)
    other = files.make_audio(folder / "other.ogg", "ogg-opus", seconds, seed=2)
    ours = best_of(repeat, lambda: audio_fingerprint(tune))
    first, _ = audio_fingerprint(tune)
    second, _ = audio_fingerprint(other)
    compare = best_of(repeat, lambda: audio_similarity(first, second))
    print(
        f"Ogg Opus, {seconds} s: fpcalc {seconds / ours:7.1f} s of sound/s"
        f"   similarity of two {len(first)}-word fingerprints {compare * 1000:6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--video-seconds", type=int, default=30)
    parser.add_argument("--audio-seconds", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        print("pictures (best of", args.repeat, "runs)")
        if REFERENCE.is_dir():
            bench_pictures("Meta reference (12)", sorted(REFERENCE.glob("*.jpg")), args.repeat)
            reference_distances()
        for width, height in SIZES:
            paths = [
                files.make_jpeg(folder / f"{width}-{seed}.jpg", (width, height), seed=seed)
                for seed in range(4)
            ]
            bench_pictures(f"JPEG {width}x{height} (4)", paths, args.repeat)
        bench_video(folder, args.video_seconds, args.repeat)
        bench_audio(folder, args.audio_seconds, args.repeat)


if __name__ == "__main__":
    main()
