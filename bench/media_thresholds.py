"""PDQ distance thresholds: which edited copies of a picture each threshold still matches with
its original, and how often it matches pictures that have nothing to do with each other.

Pictures (all offline): Meta's PDQ reference photograph (/work/shared/data/pdq/aaa-orig.jpg,
read there), matplotlib's sample photograph and its natural data drawn as pictures (two
hill-shaded elevation maps, an MRI slice), and every picture of at least 200x200 found under
/usr/share, /usr/lib, /usr/local/share and the Rust documentation (screenshots, diagrams,
charts, logos, icons; at most `--per-folder` from one folder, so icon sets do not dominate; a
file name seen twice counts once, as do two files that look the same). Photographs are rare on
a server, so "photo" (>= 4,000 colours in a 128 px thumbnail) and "graphic" are reported apart.
The list is printed.

Edits of each picture: shrunk to 50% and 25% (Lanczos), JPEG at quality 30, 2%, 5% and 10% cut
from every border, a meme caption (a white band with black text over the bottom 18%), mirrored,
turned 90 degrees, greyscale, and shown in a chat-app screenshot (bars above and below, padding
around).

For thresholds 8..48 it prints the recall of each edit (copy within the threshold of its
original), photos and graphics apart; the false matches over every pair of hashes of different
pictures (each picture's original and copies against every other's), for pairs whose hashes
both have quality >= 50 (HMA ignores weaker hashes) and for all, and how many pairs of
originals and of pictures they come from; quality per edit; the closest pairs of different
pictures; matching with dihedral hashes (pdqhash.compute_dihedral: the 8 turns and flips of the
query) for the mirror and the turn, which plain PDQ cannot catch; and the recommended auto-link
threshold (the largest below the closest pair of different pictures) next to HMA's 31.

Hashing: baraza.media.hashing.pdq_of_pil. Run: `uv run python bench/media_thresholds.py
[--per-folder 10]`.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pdqhash
from PIL import Image, ImageDraw, ImageFont, ImageOps

from baraza.media.hash_index import hamming_exact, pack
from baraza.media.hashing import bits_to_hex, pdq_of_pil

REFERENCE_PHOTO = Path("/work/shared/data/pdq/aaa-orig.jpg")
SAMPLE_DATA = Path(matplotlib.get_data_path()) / "sample_data"
ROOTS = [Path("/usr/share"), Path("/usr/lib"), Path("/usr/local/share")]
ROOTS += sorted(Path.home().glob(".rustup/toolchains/*/share/doc"))
SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
MIN_SIDE = 200
MAX_BYTES = 20_000_000
PHOTO_COLOURS = 4000
THRESHOLDS = range(8, 49, 4)
MIN_QUALITY = 50  # HMA and ThreatExchange ignore PDQ hashes of lower quality
HMA_THRESHOLD = 31
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
Edit = Callable[[Image.Image], Image.Image]


@dataclass
class Picture:
    name: str
    kind: str  # "photo" or "graphic"
    image: Image.Image  # RGB


@dataclass
class Hashed:
    picture: int
    edit: str
    packed: np.ndarray
    quality: int


# --- pictures ---------------------------------------------------------------------------


def flattened(image: Image.Image) -> Image.Image:
    """RGB on white, as a picture with transparency looks once it is forwarded."""
    image.seek(0)
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, "white")
    return Image.alpha_composite(white, rgba).convert("RGB")


def kind_of(image: Image.Image) -> str:
    thumbnail = image.copy()
    thumbnail.thumbnail((128, 128))
    colours = np.unique(np.asarray(thumbnail).reshape(-1, 3), axis=0)
    return "photo" if len(colours) >= PHOTO_COLOURS else "graphic"


def files_under(root: Path, per_folder: int) -> Iterator[Path]:
    for folder, _, names in os.walk(root):
        chosen = sorted(n for n in names if Path(n).suffix.lower() in SUFFIXES)[:per_folder]
        yield from (Path(folder) / name for name in chosen)


def found_files(per_folder: int) -> Iterator[Path]:
    if REFERENCE_PHOTO.exists():
        yield REFERENCE_PHOTO
    yield from sorted(SAMPLE_DATA.glob("*.jpg")) + sorted(SAMPLE_DATA.glob("*.png"))
    for root in ROOTS:
        yield from files_under(root, per_folder)


def file_pictures(per_folder: int) -> Iterator[Picture]:
    names: set[str] = set()
    contents: set[bytes] = set()
    for path in found_files(per_folder):
        try:
            if path.stat().st_size > MAX_BYTES or path.name in names:
                continue
            digest = hashlib.sha256(path.read_bytes()).digest()
            with Image.open(path) as opened:
                if min(opened.size) < MIN_SIDE or digest in contents:
                    continue
                image = flattened(opened)
        except (OSError, ValueError, Image.DecompressionBombError):
            continue
        names.add(path.name)
        contents.add(digest)
        yield Picture(str(path), kind_of(image), image)


def drawn(values: np.ndarray, name: str, colours: str, shade: bool) -> Picture:
    """Natural data (terrain, a body scan) as a picture."""
    from matplotlib.colors import LightSource

    values = np.asarray(values, dtype=np.float64)
    if shade:
        rgb = LightSource(azdeg=315, altdeg=45).shade(values, cmap=matplotlib.colormaps[colours])
    else:
        span = values.max() - values.min()
        rgb = matplotlib.colormaps[colours]((values - values.min()) / span)
    pixels = (np.asarray(rgb)[..., :3] * 255).astype(np.uint8)
    image = Image.fromarray(pixels).resize((pixels.shape[1] * 2, pixels.shape[0] * 2))
    return Picture(f"matplotlib sample data: {name}", "photo", image)


def data_pictures() -> list[Picture]:
    pictures = []
    with np.load(SAMPLE_DATA / "jacksboro_fault_dem.npz") as dem:
        pictures.append(drawn(dem["elevation"], "jacksboro_fault_dem", "gist_earth", True))
    with np.load(SAMPLE_DATA / "topobathy.npz") as topo:
        pictures.append(drawn(topo["topo"], "topobathy", "terrain", True))
    with gzip.open(SAMPLE_DATA / "s1045.ima.gz") as scan:
        slice_ = np.frombuffer(scan.read(), np.uint16).reshape(256, 256)
    pictures.append(drawn(slice_, "s1045.ima (MRI)", "gray", False))
    return pictures


def looks(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L").resize((32, 32), Image.Resampling.BILINEAR), float)


def distinct(pictures: list[Picture]) -> list[Picture]:
    """Leave out a picture that is the same drawing as an earlier one under another name (grey
    levels at 32x32 differing by under 3 of 255 on average, same shape): matching those is
    right, not false."""
    kept: list[tuple[Picture, np.ndarray]] = []
    for picture in pictures:
        thumbnail, shape = looks(picture.image), picture.image.width / picture.image.height
        if not any(
            abs(other.image.width / other.image.height / shape - 1) < 0.05
            and np.abs(seen - thumbnail).mean() < 3
            for other, seen in kept
        ):
            kept.append((picture, thumbnail))
    return [picture for picture, _ in kept]


# --- edits ------------------------------------------------------------------------------


def shrunk(factor: float) -> Edit:
    def edit(image: Image.Image) -> Image.Image:
        size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
        return image.resize(size, Image.Resampling.LANCZOS)

    return edit


def recompressed(image: Image.Image) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=30)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def cropped(share: float) -> Edit:
    def edit(image: Image.Image) -> Image.Image:
        dx, dy = round(image.width * share), round(image.height * share)
        return image.crop((dx, dy, image.width - dx, image.height - dy))

    return edit


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size=size)


def captioned(image: Image.Image) -> Image.Image:
    out = image.copy()
    band = max(12, round(image.height * 0.18))
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, image.height - band, image.width, image.height), fill="white")
    text = "WHEN THEY SAY IT'S FAKE"
    size = max(8, band // 2)
    while size > 8 and draw.textlength(text, font=font(size)) > image.width * 0.92:
        size -= 2
    draw.text(
        (image.width / 2, image.height - band / 2), text, fill="black", font=font(size), anchor="mm"
    )
    return out


def screenshot(image: Image.Image) -> Image.Image:
    """The picture as a chat app shows it: status and title bars, padding, a typing bar."""
    width = round(image.width / 0.85)
    shown_height = image.height
    bar, footer = round(width * 0.22), round(width * 0.18)
    height = max(bar + shown_height + footer + round(width * 0.1), round(width * 16 / 9))
    canvas = Image.new("RGB", (width, height), (236, 229, 221))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, width, bar), fill=(7, 94, 84))
    draw.text((width * 0.2, bar * 0.55), "Family group", fill="white", font=font(bar // 5))
    top = bar + round(width * 0.05)
    draw.rectangle(
        (round(width * 0.05), top - 8, width - round(width * 0.05), top + shown_height + 8),
        fill="white",
    )
    canvas.paste(image, ((width - image.width) // 2, top))
    draw.rectangle((0, height - footer, width, height), fill=(240, 240, 240))
    return canvas


EDITS: dict[str, Edit] = {
    "50%": shrunk(0.5),
    "25%": shrunk(0.25),
    "jpeg30": recompressed,
    "crop2": cropped(0.02),
    "crop5": cropped(0.05),
    "crop10": cropped(0.10),
    "caption": captioned,
    "mirror": ImageOps.mirror,
    "rot90": lambda image: image.transpose(Image.Transpose.ROTATE_90),
    "grey": lambda image: image.convert("L"),
    "screen": screenshot,
}
TURNS = {"mirror", "rot90"}  # what plain PDQ cannot catch by design


# --- hashing ----------------------------------------------------------------------------


def hashed(pictures: list[Picture]) -> list[Hashed]:
    out = []
    for number, picture in enumerate(pictures):
        versions = {"original": picture.image} | {
            name: edit(picture.image) for name, edit in EDITS.items()
        }
        for name, version in versions.items():
            pdq, quality = pdq_of_pil(version)
            out.append(Hashed(number, name, pack(pdq), quality))
    return out


def dihedral(image: Image.Image) -> np.ndarray:
    """The 8 turns and flips' hashes, prepared as pdq_of_pil prepares pixels (already RGB)."""
    prepared = image.copy()
    prepared.thumbnail((512, 512))
    hashes, _ = pdqhash.compute_dihedral(np.asarray(prepared.convert("RGB")))
    return np.stack([pack(bits_to_hex(bits)) for bits in hashes])


# --- figures ----------------------------------------------------------------------------


@dataclass
class Unrelated:
    """Every pair of hashes of different pictures: distance, both of quality >= MIN_QUALITY,
    which pictures, both originals."""

    distance: np.ndarray
    strong: np.ndarray
    pictures: np.ndarray  # (pairs, 2)
    originals: np.ndarray

    @classmethod
    def of(cls, hashes: list[Hashed]) -> Unrelated:
        owner = np.array([h.picture for h in hashes])
        strong = np.array([h.quality >= MIN_QUALITY for h in hashes])
        original = np.array([h.edit == "original" for h in hashes])
        first, second = np.triu_indices(len(hashes), k=1)
        different = owner[first] != owner[second]
        first, second = first[different], second[different]
        distances = hamming_exact(
            np.stack([h.packed for h in hashes]), np.stack([h.packed for h in hashes])
        )
        return cls(
            distances[first, second],
            strong[first] & strong[second],
            np.stack([owner[first], owner[second]], axis=1),
            original[first] & original[second],
        )

    def matched_pictures(self, threshold: int) -> int:
        """Pairs of pictures with some versions of quality >= MIN_QUALITY within threshold."""
        near = (self.distance <= threshold) & self.strong
        return len(np.unique(self.pictures[near], axis=0))


def recall_table(
    pictures: list[Picture], hashes: list[Hashed], kinds: set[str]
) -> dict[str, np.ndarray]:
    """Per edit: each copy's distance to its own original, for pictures of these kinds."""
    original = {h.picture: h.packed for h in hashes if h.edit == "original"}
    per_edit: dict[str, list[int]] = {name: [] for name in EDITS}
    for h in hashes:
        if h.edit != "original" and pictures[h.picture].kind in kinds:
            distance = hamming_exact(h.packed[None], original[h.picture][None])[0, 0]
            per_edit[h.edit].append(int(distance))
    return {name: np.array(values) for name, values in per_edit.items()}


def catchable(recall: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate([values for name, values in recall.items() if name not in TURNS])


def print_recall(title: str, recall: dict[str, np.ndarray]) -> None:
    count = len(next(iter(recall.values())))
    print(f"\nrecall: share of edited copies within the distance of their original, {title}")
    print(f"({count} pictures; 'others' = every edit but mirror and rot90)")
    print(f"{'dist':>4}" + "".join(f"{name:>8}" for name in EDITS) + f"{'others':>8}")
    for threshold in THRESHOLDS:
        cells = "".join(f"{np.mean(values <= threshold):8.2f}" for values in recall.values())
        print(f"{threshold:>4}{cells}{np.mean(catchable(recall) <= threshold):8.2f}")


def print_false_matches(unrelated: Unrelated, picture_count: int) -> None:
    strong = unrelated.distance[unrelated.strong]
    originals = unrelated.distance[unrelated.originals]
    picture_pairs = picture_count * (picture_count - 1) // 2
    print(
        f"\nfalse matches: pairs of different pictures within the distance. {len(strong):,}"
        f" hash pairs of quality >= {MIN_QUALITY} (every version of one picture against every"
        f" version of the other), {len(originals):,} pairs of originals, {picture_pairs:,}"
        " picture pairs"
    )
    print(f"{'dist':>4}{'hash pairs':>22}{'all qualities':>22}{'originals':>12}{'pictures':>10}")
    for threshold in THRESHOLDS:
        wrong = int(np.sum(strong <= threshold))
        wrong_any = int(np.sum(unrelated.distance <= threshold))
        print(
            f"{threshold:>4}{wrong:>8} ({wrong / len(strong):.5%}){wrong_any:>8}"
            f" ({wrong_any / len(unrelated.distance):.5%}){int(np.sum(originals <= threshold)):>12}"
            f"{unrelated.matched_pictures(threshold):>10}"
        )


def print_qualities(pictures: list[Picture], hashes: list[Hashed]) -> None:
    print(
        f"\nPDQ quality (0-100; HMA ignores hashes under {MIN_QUALITY}): mean, lowest, share weak"
    )
    for kind in ("photo", "graphic"):
        cells = []
        for edit in ["original", *EDITS]:
            values = np.array(
                [h.quality for h in hashes if h.edit == edit and pictures[h.picture].kind == kind]
            )
            if len(values):
                cells.append(
                    f"{edit} {values.mean():.0f}/{values.min()}/{np.mean(values < MIN_QUALITY):.0%}"
                )
        print(f"  {kind}: " + ", ".join(cells))


def print_closest(pictures: list[Picture], hashes: list[Hashed], count: int = 12) -> None:
    packed = np.stack([h.packed for h in hashes])
    distances = hamming_exact(packed, packed)
    closest: dict[tuple[int, int], tuple[int, int, int]] = {}
    for i, j in zip(*np.triu_indices(len(hashes), k=1), strict=True):
        pair = (hashes[i].picture, hashes[j].picture)
        if pair[0] != pair[1] and (pair not in closest or distances[i, j] < closest[pair][0]):
            closest[pair] = (int(distances[i, j]), int(i), int(j))
    print("\nclosest pairs of different pictures (distance, qualities, which versions):")
    for distance, i, j in sorted(closest.values())[:count]:
        a, b = hashes[i], hashes[j]
        print(
            f"  {distance:>3}  q{a.quality:>3}/q{b.quality:<3}"
            f" {Path(pictures[a.picture].name).name} [{a.edit}]"
            f" ~ {Path(pictures[b.picture].name).name} [{b.edit}]"
        )


def print_dihedral(pictures: list[Picture], hashes: list[Hashed]) -> None:
    """Query with the copy's 8 dihedral hashes, store only the original's plain hash."""
    stored = np.stack([h.packed for h in hashes if h.edit == "original"])
    turned: dict[str, list[int]] = {name: [] for name in sorted(TURNS)}
    nearest_unrelated = []
    for number, picture in enumerate(pictures):
        for name in turned:
            variants = dihedral(EDITS[name](picture.image))
            turned[name].append(int(hamming_exact(variants, stored[number][None]).min()))
        others = np.delete(stored, number, axis=0)
        nearest_unrelated.append(hamming_exact(dihedral(picture.image), others).min(axis=0))
    unrelated = np.concatenate(nearest_unrelated)
    plain = hamming_exact(stored, stored)[np.triu_indices(len(stored), k=1)]
    print("\ndihedral matching: the query's 8 turns and flips against the stored plain hashes")
    print(f"{'dist':>4}{'mirror':>8}{'rot90':>8}   false matches of originals: dihedral    plain")
    for threshold in THRESHOLDS:
        mirror = np.mean(np.array(turned["mirror"]) <= threshold)
        rot = np.mean(np.array(turned["rot90"]) <= threshold)
        wrong, wrong_plain = np.mean(unrelated <= threshold), np.mean(plain <= threshold)
        print(f"{threshold:>4}{mirror:8.2f}{rot:8.2f}{wrong:>38.4%}{wrong_plain:>9.4%}")


def recommend(recall: dict[str, np.ndarray], unrelated: Unrelated) -> None:
    strong = unrelated.distance[unrelated.strong]
    closest = int(strong.min())
    auto = max((t for t in THRESHOLDS if t < closest), default=0)
    print(
        f"\nclosest pair of different pictures (quality >= {MIN_QUALITY}): {closest} bits;"
        f" any quality: {int(unrelated.distance.min())}"
    )
    for label, threshold in (("auto-link", auto), ("suggest (HMA)", HMA_THRESHOLD)):
        per_edit = ", ".join(
            f"{name} {np.mean(values <= threshold):.2f}"
            for name, values in recall.items()
            if name not in TURNS
        )
        print(
            f"{label} at <= {threshold}: recall {np.mean(catchable(recall) <= threshold):.2f}"
            f" ({per_edit}); false matches {int(np.sum(strong <= threshold))} hash pairs"
            f" ({np.mean(strong <= threshold):.5%}), {unrelated.matched_pictures(threshold)}"
            " picture pairs"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-folder", type=int, default=10)
    args = parser.parse_args()
    pictures = distinct(list(file_pictures(args.per_folder)) + data_pictures())
    print(f"{len(pictures)} pictures:")
    for picture in pictures:
        print(f"  {picture.kind:<8} {picture.image.width}x{picture.image.height}  {picture.name}")
    hashes = hashed(pictures)
    print_recall("photos", recall_table(pictures, hashes, {"photo"}))
    print_recall("graphics", recall_table(pictures, hashes, {"graphic"}))
    unrelated = Unrelated.of(hashes)
    print_false_matches(unrelated, len(pictures))
    print_qualities(pictures, hashes)
    print_closest(pictures, hashes)
    print_dihedral(pictures, hashes)
    recommend(recall_table(pictures, hashes, {"photo", "graphic"}), unrelated)


if __name__ == "__main__":
    main()
