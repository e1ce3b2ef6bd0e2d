"""The known-media bank: the pictures, videos and sounds of published fact-checks.

A picture debunked last month comes back, cropped and recompressed, in a new report; a reviewer
should see at once that it was checked, and by whom. Fact-checks' files come from
`baraza import-factchecks` (matching announces them with `factcheck_media_found`; see
`receivers`), are checked as uploads are, kept and processed like any medium (the same hashes,
the same index), and found by the same rules (`matching.near_media`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction

from baraza.accounts.models import Organisation
from baraza.audit.actions import record
from baraza.errors import InvalidField, TooLarge
from baraza.matching.models import FactCheck
from baraza.media.actions import _new_medium, _queue_processing, keep_originals
from baraza.media.events import MediaEvent
from baraza.media.matching import Near, near_media
from baraza.media.models import Kind, Medium, MediumStatus
from baraza.media.upload import CHUNK, Accepted, Upload, check_one

PDQ_BITS = 256


class PathUpload:
    """A file on this machine as an Upload: read in chunks, so a huge one costs only the
    bytes read before the size check stops it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name: str | None = path.name
        self.size: int | None = path.stat().st_size

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        with self.path.open("rb") as file:
            while chunk := file.read(chunk_size or CHUNK):
                yield chunk


@dataclass
class BankAdded:
    """What `do_add_factcheck_media` did: media kept, files it already had, files refused."""

    added: list[Medium] = field(default_factory=list)
    known: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (index in uploads, why)


def _why(error: InvalidField | TooLarge, upload: Upload) -> str:
    # The upload checks name the file first ("photo.jpg: ..."); the caller names it already.
    label = (upload.name or "").strip()[:120]
    return error.message.removeprefix(f"{label}: ")


def _checked(uploads: Sequence[Upload], folder: Path, done: BankAdded) -> list[Accepted]:
    """Each file checked on its own: one refused does not stop the others."""
    accepted = []
    for position, upload in enumerate(uploads):
        try:
            accepted.append(check_one(upload, position, folder))
        except (InvalidField, TooLarge) as error:
            done.refused.append((position, _why(error, upload)))
    return accepted


def do_add_factcheck_media(
    factcheck: FactCheck, uploads: Sequence[Upload], organisation: Organisation | None
) -> BankAdded:
    """Keep files that show a fact-check's claim as its media, checked as uploads are and
    processed (hashed) like any medium. Idempotent: a file the fact-check already has (the same
    SHA-256) is counted as known, not kept again. One audit event when any file is added."""
    done = BankAdded()
    with tempfile.TemporaryDirectory(prefix="baraza-bank-") as folder:
        accepted = _checked(uploads, Path(folder), done)
        with transaction.atomic():
            FactCheck.objects.select_for_update().filter(pk=factcheck.pk).first()
            held = Medium.objects.filter(factcheck=factcheck)
            known = set(held.values_list("sha256", flat=True))
            position = held.count()
            new: list[Accepted] = []
            for item in accepted:
                if item.sha256 in known:
                    done.known += 1
                    continue
                known.add(item.sha256)
                new.append(replace(item, position=position + len(new)))
            if new:
                done.added = _keep(factcheck, new, organisation, refused=len(done.refused))
    return done


def _keep(
    factcheck: FactCheck, accepted: list[Accepted], organisation: Organisation | None, refused: int
) -> list[Medium]:
    keep_originals(accepted)
    media = Medium.objects.bulk_create(
        [_new_medium(item, factcheck=factcheck, organisation=organisation) for item in accepted]
    )
    record(
        MediaEvent.FACTCHECK_MEDIA_ADDED,
        factcheck,
        None,
        {"files": len(media), "kinds": sorted({m.kind for m in media}), "refused": refused},
    )
    _queue_processing([m.pk for m in media if m.status == MediumStatus.PENDING])
    return media


@dataclass(frozen=True)
class KnownMatch:
    """A fact-check whose media look like one of ours."""

    factcheck: FactCheck
    medium: Medium  # ours, the one that looks like the fact-check's
    score: float  # 0-1, 1 the same: 1 - bits/256 for pictures, the share alike otherwise
    distance: int | None  # PDQ bits apart for pictures; None for videos and sounds


def similarity(near: Near, kind: str) -> tuple[float, int | None]:
    """A match's score (0-1, higher is nearer) and, for pictures, its PDQ distance."""
    if kind == Kind.IMAGE:
        return round(1 - near.score / PDQ_BITS, 6), int(near.score)
    return round(near.score / 100, 6), None


def known_factchecks(media: list[Medium]) -> list[KnownMatch]:
    """The fact-checks whose media are like these (processed) media, best first, each once."""
    best: dict[int, tuple[float, int | None, Medium]] = {}
    for medium in media:
        found = near_media(medium)
        owners = dict(
            Medium.objects.filter(
                pk__in=[near.medium_id for near in found], factcheck__isnull=False
            ).values_list("pk", "factcheck_id")
        )
        for near in found:
            owner = owners.get(near.medium_id)
            if owner is None or owner == medium.factcheck_id:
                continue
            score, distance = similarity(near, medium.kind)
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, distance, medium)
    factchecks = FactCheck.objects.in_bulk(list(best))
    matches = [
        KnownMatch(factcheck=factchecks[pk], medium=medium, score=score, distance=distance)
        for pk, (score, distance, medium) in best.items()
        if pk in factchecks
    ]
    return sorted(matches, key=lambda m: (-m.score, m.factcheck.pk))
