"""Searching by a file: has this picture, video or sound been seen in a case you may see, or
shown by a fact-check?

A member holding a forwarded picture asks before filing anything, so nothing is kept: the file
is checked as an upload is, hashed in the request (PDQ for a picture, vPDQ frames for a video,
Chromaprint for a sound; no derivative, no OCR) under a time limit, and looked up by the rules
of `media.matching`, plus the same bytes (SHA-256) for media not processed yet. What comes back
is filtered by what the caller may see: the media of reports they may see (TLP), and so those
reports' cases, and the fact-checks' media, which are public. A case the caller may not see is
never named, not even counted.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.utils.translation import gettext as _

from baraza.errors import InvalidField, TooLarge
from baraza.matching.models import FactCheck
from baraza.media.hashing import (
    FrameHash,
    audio_fingerprint,
    pdq_of_image,
    pdq_turns_of_image,
    video_frame_hashes,
)
from baraza.media.matching import Near, near_hashes, similarity
from baraza.media.models import Kind, Medium
from baraza.media.probe import MediaKind, ProcessingFailed
from baraza.media.upload import Accepted, Upload, check_one

FIELD = "file"
# Seconds a search may spend hashing a video or a sound. A picture's cost is bounded by the
# pixel cap the check enforces (it was decoded once already to be checked).
SEARCH_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Hashes:
    kind: str
    sha256: str
    pdq: str = ""
    quality: int | None = None
    turns: list[str] = field(default_factory=list)
    frames: list[FrameHash] = field(default_factory=list)
    fingerprint: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class CaseFound:
    case_id: int
    score: float
    distance: int | None
    strong: bool
    reports: int  # the case's reports, among those the caller may see, with media alike


@dataclass(frozen=True)
class FactCheckFound:
    factcheck: FactCheck
    score: float
    distance: int | None
    strong: bool


@dataclass(frozen=True)
class Found:
    hashes: Hashes
    cases: list[CaseFound]
    factchecks: list[FactCheckFound]


def _checked(upload: Upload, folder: Path) -> Accepted:
    """The upload checks, naming the one file `file` as this operation calls it."""
    try:
        return check_one(upload, 0, folder)
    except TooLarge as error:
        raise TooLarge(error.message, field=FIELD) from None
    except InvalidField as error:
        raise InvalidField(FIELD, error.message) from None


def hashes_of(accepted: Accepted, *, timeout_s: float = SEARCH_TIMEOUT_S) -> Hashes:
    """The hashes processing would compute, straight from the checked file."""
    kind = accepted.probed.kind
    base = Hashes(kind=str(kind), sha256=accepted.sha256)
    try:
        if kind == MediaKind.IMAGE:
            pdq, quality = pdq_of_image(accepted.path)
            turns = pdq_turns_of_image(accepted.path)[1:]
            return replace(base, pdq=pdq, quality=quality, turns=turns)
        if kind == MediaKind.VIDEO:
            return replace(base, frames=video_frame_hashes(accepted.path, timeout_s=timeout_s))
        fingerprint, _duration = audio_fingerprint(accepted.path, timeout_s=timeout_s)
        return replace(base, fingerprint=fingerprint)
    except ProcessingFailed:
        raise InvalidField(
            FIELD,
            _(
                "This file could not be hashed: it is damaged, or hashing it took longer than "
                "%(seconds)s seconds (try a shorter clip)."
            )
            % {"seconds": f"{timeout_s:g}"},
        ) from None


def _same_bytes(hashes: Hashes) -> list[Near]:
    """Media with exactly these bytes (processed or not): as near as can be."""
    score = 0.0 if hashes.kind == Kind.IMAGE else 100.0
    same = Medium.objects.filter(sha256=hashes.sha256).values_list("pk", flat=True)
    return [Near(pk, score, True) for pk in same]


def _rank(near: Near, kind: str) -> tuple[bool, float]:
    return near.auto, similarity(near, kind)[0]


def near_file(hashes: Hashes) -> dict[int, Near]:
    """Every medium like the file (by its id), each once, at its best."""
    found = _same_bytes(hashes) + near_hashes(
        hashes.kind,
        pdq=hashes.pdq,
        quality=hashes.quality,
        turns=hashes.turns,
        frames=hashes.frames,
        fingerprint=hashes.fingerprint,
    )
    best: dict[int, Near] = {}
    for near in found:
        known = best.get(near.medium_id)
        if known is None or _rank(near, hashes.kind) > _rank(known, hashes.kind):
            best[near.medium_id] = near
    return best


def _visible(near: dict[int, Near], hashes: Hashes, user: object) -> Found:
    """Only what `user` may see: media of visible reports (so their cases), fact-checks'."""
    rows = (
        Medium.objects.visible_to(user)
        .filter(pk__in=list(near))
        .values_list("pk", "report_id", "report__case_link__case_id", "factcheck_id")
    )
    cases: dict[int, list[tuple[Near, int]]] = {}
    factchecks: dict[int, Near] = {}
    for pk, report_id, case_id, factcheck_id in rows:
        if case_id is not None:
            cases.setdefault(case_id, []).append((near[pk], report_id))
        elif factcheck_id is not None:
            known = factchecks.get(factcheck_id)
            if known is None or _rank(near[pk], hashes.kind) > _rank(known, hashes.kind):
                factchecks[factcheck_id] = near[pk]
    return Found(hashes, _cases(cases, hashes.kind), _factchecks(factchecks, hashes.kind))


def _cases(found: dict[int, list[tuple[Near, int]]], kind: str) -> list[CaseFound]:
    ranked = []
    for case_id, hits in found.items():
        best = max((near for near, _report in hits), key=lambda near: _rank(near, kind))
        score, distance = similarity(best, kind)
        reports = len({report_id for _near, report_id in hits})
        ranked.append(CaseFound(case_id, score, distance, best.auto, reports))
    return sorted(ranked, key=lambda c: (not c.strong, -c.score, c.case_id))


def _factchecks(found: dict[int, Near], kind: str) -> list[FactCheckFound]:
    rows = FactCheck.objects.in_bulk(list(found))
    ranked = [
        FactCheckFound(rows[pk], *similarity(near, kind), strong=near.auto)
        for pk, near in found.items()
        if pk in rows
    ]
    return sorted(ranked, key=lambda f: (not f.strong, -f.score, f.factcheck.pk))


def search_file(upload: Upload, user: object, *, timeout_s: float = SEARCH_TIMEOUT_S) -> Found:
    """The cases (of reports `user` may see) and fact-checks with media like this file, best
    first. Nothing is kept: the file lives in a temporary folder for the request."""
    with tempfile.TemporaryDirectory(prefix="baraza-search-") as folder:
        accepted = _checked(upload, Path(folder))
        hashes = hashes_of(accepted, timeout_s=timeout_s)
    return _visible(near_file(hashes), hashes, user)
