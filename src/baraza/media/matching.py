"""Which media are the same picture, video or sound as this one? The media side of clustering
and of the known-media bank.

Pictures: PDQ, through each process's replica of the hash index (`hash_index.HashIndex`),
derived from the database and caught up before every search, like the report index. Videos:
vPDQ frame hashes, compared with HMA's rule (a share of frames matched both ways). Sounds:
Chromaprint fingerprints. Videos and sounds are far fewer than pictures and are compared one by
one with the recent ones of their kind (`RECENT_LIMIT`) and the bank's (fact-checks' media).
`near_hashes` answers for hashes of a file that is not kept (search_media).

Every answer is a list of `Near(medium_id, score, auto)`: `auto` says the match is strong
enough to join a case by itself (the thresholds are settings, measured by
bench/media_thresholds.py); the others are offered to a reviewer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from baraza.matching import storage as derived
from baraza.media.hash_index import HashIndex, pack
from baraza.media.hashing import FrameHash, audio_similarity, hamming, vpdq_match
from baraza.media.models import Kind, Medium, MediumStatus

PDQ_INDEX = "index/media-pdq.npz"
CATCH_UP_MARGIN = timedelta(minutes=5)
RECENT_LIMIT = 2000
NEAREST = 50
PDQ_BITS = 256


@dataclass(frozen=True)
class Near:
    medium_id: int
    score: float  # pictures: PDQ distance (lower is nearer); videos, sounds: per cent alike
    auto: bool


def similarity(near: Near, kind: str) -> tuple[float, int | None]:
    """A match's score (0-1, higher is nearer) and, for pictures, its PDQ distance."""
    if kind == Kind.IMAGE:
        return round(1 - near.score / PDQ_BITS, 6), int(near.score)
    return round(near.score / 100, 6), None


def _hashed() -> QuerySet[Medium]:
    return Medium.objects.filter(status=MediumStatus.READY).exclude(pdq="")


def _rows_to_arrays(rows: list[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
    keys = np.array([key for key, _ in rows], dtype=np.int64)
    packed = np.zeros((len(rows), 32), dtype=np.uint8)
    for n, (_, pdq) in enumerate(rows):
        packed[n] = pack(pdq)
    return keys, packed


class PdqReplica:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._synced_at = timezone.now()
        path = derived.derived_files().path(PDQ_INDEX)
        self.index = HashIndex(path, self._all)
        self._reconcile()

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        self._synced_at = timezone.now()
        return _rows_to_arrays(list(_hashed().values_list("pk", "pdq")))

    def _fetch(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _rows_to_arrays(
            list(_hashed().filter(pk__in=keys.tolist()).values_list("pk", "pdq"))
        )

    def _reconcile(self) -> None:
        started = timezone.now()
        ids = np.array(_hashed().values_list("pk", flat=True), dtype=np.int64)
        self.index.sync(ids, self._fetch)
        self._synced_at = started

    def catch_up(self) -> None:
        since = self._synced_at - CATCH_UP_MARGIN
        started = timezone.now()
        recent = _hashed().filter(processed_at__gte=since).values_list("pk", flat=True)
        keys = np.array(recent, dtype=np.int64)
        if len(keys):  # add() replaces a key already held, so re-reading the margin is harmless
            self.index.add(*self._fetch(keys))
        self._synced_at = started

    def search(self, pdq: str, max_distance: int) -> list[tuple[int, int]]:
        with self._lock:
            self.catch_up()
            found = self.index.search([pdq], NEAREST, max_distance)[0]
        # The index proposes; the stored hashes decide (a stale entry decides nothing).
        stored = dict(_hashed().filter(pk__in=[key for key, _ in found]).values_list("pk", "pdq"))
        exact = [(key, hamming(pdq, stored[key])) for key, _ in found if key in stored]
        return sorted((pair for pair in exact if pair[1] <= max_distance), key=lambda p: p[::-1])

    def save(self) -> None:
        with self._lock:
            self.index.save()


@cache
def pdq_index() -> PdqReplica:
    """This process's replica (built on first use, then kept)."""
    return PdqReplica()


def _turned(turns: list[str], exclude: int | None, plain: set[int]) -> list[Near]:
    """Pictures like a turned or flipped version of this one: offered, never linked by
    themselves (a mirror image may be the point of a meme, or another picture)."""
    best: dict[int, int] = {}
    for turn in turns:
        for key, distance in pdq_index().search(turn, settings.MEDIA_PDQ_SUGGEST):
            if key != exclude and key not in plain:
                best[key] = min(distance, best.get(key, distance))
    return [Near(key, float(distance), False) for key, distance in best.items()]


def _near_pictures(
    pdq: str, quality: int | None, exclude: int | None, turns: list[str] | None = None
) -> list[Near]:
    if not pdq:
        return []
    strong_enough = (quality or 0) >= settings.MEDIA_PDQ_MIN_QUALITY
    found = pdq_index().search(pdq, settings.MEDIA_PDQ_SUGGEST)
    qualities = dict(
        Medium.objects.filter(pk__in=[key for key, _ in found]).values_list("pk", "pdq_quality")
    )
    near = []
    for key, distance in found:
        if key == exclude:
            continue
        both_strong = strong_enough and (qualities.get(key) or 0) >= settings.MEDIA_PDQ_MIN_QUALITY
        auto = both_strong and distance <= settings.MEDIA_PDQ_AUTO_LINK
        near.append(Near(key, float(distance), auto))
    near += _turned(turns or [], exclude, {key for key, _ in found})
    return sorted(near, key=lambda n: (not n.auto, n.score, n.medium_id))


def _recent(kind: str, exclude: int | None) -> list[Medium]:
    """The recent media of a kind, and the bank's (fact-checks' media are few, and old ones
    matter as much as new ones)."""
    ready = Medium.objects.filter(kind=kind, status=MediumStatus.READY)
    if exclude is not None:
        ready = ready.exclude(pk=exclude)
    recent = list(ready.order_by("-processed_at")[:RECENT_LIMIT])
    seen = {medium.pk for medium in recent}
    bank = ready.filter(factcheck__isnull=False).order_by("-processed_at")[:RECENT_LIMIT]
    return recent + [medium for medium in bank if medium.pk not in seen]


def frames_of(medium: Medium) -> list[FrameHash]:
    return [FrameHash(second=s, pdq=p, quality=q) for s, p, q in medium.frame_hashes]


def _near_videos(frames: list[FrameHash], exclude: int | None) -> list[Near]:
    if not frames:
        return []
    near = []
    for other in _recent(Kind.VIDEO, exclude):
        ours, theirs = vpdq_match(frames, frames_of(other), distance=settings.MEDIA_PDQ_SUGGEST)
        alike = min(ours, theirs)
        if alike >= settings.MEDIA_VPDQ_MATCH_PERCENT:
            near.append(Near(other.pk, alike, True))
        elif alike >= settings.MEDIA_VPDQ_MATCH_PERCENT / 2:
            near.append(Near(other.pk, alike, False))
    return sorted(near, key=lambda n: -n.score)


def _near_sounds(fingerprint: list[int], exclude: int | None) -> list[Near]:
    if not fingerprint:
        return []
    near = []
    threshold = settings.MEDIA_AUDIO_MATCH_PERCENT
    for other in _recent(Kind.AUDIO, exclude):
        if not other.audio_fingerprint:
            continue
        alike = 100 * audio_similarity(fingerprint, other.audio_fingerprint)
        if alike >= threshold:
            near.append(Near(other.pk, alike, True))
        elif alike >= threshold - 10:
            near.append(Near(other.pk, alike, False))
    return sorted(near, key=lambda n: -n.score)


def near_hashes(
    kind: str,
    *,
    pdq: str = "",
    quality: int | None = None,
    turns: list[str] | None = None,
    frames: list[FrameHash] | None = None,
    fingerprint: list[int] | None = None,
    exclude: int | None = None,
) -> list[Near]:
    """The ready media like these hashes (a file that is not kept: search_media), nearest
    first, leaving out the medium `exclude`."""
    if kind == Kind.IMAGE:
        return _near_pictures(pdq, quality, exclude, turns)
    if kind == Kind.VIDEO:
        return _near_videos(frames or [], exclude)
    return _near_sounds(fingerprint or [], exclude)


def near_media(medium: Medium) -> list[Near]:
    """The media like this one (reports' and fact-checks' alike), nearest first."""
    if medium.status != MediumStatus.READY:
        return []
    return near_hashes(
        medium.kind,
        pdq=medium.pdq,
        quality=medium.pdq_quality,
        turns=list(medium.pdq_turns),
        frames=frames_of(medium),
        fingerprint=medium.audio_fingerprint,
        exclude=medium.pk,
    )
