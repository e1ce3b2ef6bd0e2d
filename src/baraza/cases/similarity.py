"""Which earlier reports mean the same as this one? The nearest-neighbour side of clustering.

Each worker process holds a replica of the report index (HNSW, `matching.index.VectorIndex`),
derived from `ReportVector` rows and refreshed from them before every search, so any number of
workers on any number of machines stay consistent with the database and losing one loses
nothing. The index file (`matching.storage.REPORT_INDEX`) only makes a restart fast: a missing,
corrupt or other-model file is rebuilt from the database.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from baraza.cases.models import ReportVector
from baraza.intake.models import Report
from baraza.matching import storage
from baraza.matching.encoders import Encoder, default_encoder
from baraza.matching.engine import encode_queries, rescore
from baraza.matching.index import VectorIndex
from baraza.matching.normalise import normalised_text, without_markup

log = logging.getLogger(__name__)

# Vectors committed by another worker up to this long after they were created are still picked
# up (a transaction stamps `created_at` before it commits).
CATCH_UP_MARGIN = timedelta(minutes=5)
# The encoder reads at most 512 tokens; a 100k-character paste only costs time beyond this.
MAX_EMBEDDED_CHARS = 4000


def clustering_text(text: str) -> str:
    """What is embedded: the words without links, handles and tags, which name where a claim
    was posted, not what it says (bench/clustering_thresholds.py: precision up at every
    threshold), cut to what the encoder reads."""
    return without_markup(text)[:MAX_EMBEDDED_CHARS]


def words(text: str) -> int:
    return len(normalised_text(text).split())


def embeddable(text: str) -> bool:
    """Emoji, links and handles alone carry no claim to compare."""
    return words(text) > 0


@dataclass(frozen=True)
class Neighbour:
    report_id: int
    similarity: float  # the ranking's score (matching.engine): the cosine plus lexical evidence
    cosine: float


class ReportIndex:
    def __init__(self, encoder: Encoder, path: Path) -> None:
        self.encoder = encoder
        self._lock = threading.Lock()
        self._synced_at = timezone.now()
        self._vectors = VectorIndex(path, encoder.dimensions, encoder.model_id, self._all)
        self._reconcile()

    def _current(self):  # type: ignore[no-untyped-def]
        return ReportVector.objects.filter(model_id=self.encoder.model_id)

    def _rows_to_arrays(self, rows: list[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
        keys = np.array([key for key, _ in rows], dtype=np.int64)
        vectors = np.zeros((len(rows), self.encoder.dimensions), dtype=np.float32)
        for n, (_, data) in enumerate(rows):
            vectors[n] = np.frombuffer(bytes(data), dtype=np.float32)
        return keys, vectors

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        self._synced_at = timezone.now()
        return self._rows_to_arrays(list(self._current().values_list("report_id", "vector")))

    def _fetch(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = self._current().filter(report_id__in=keys.tolist())
        return self._rows_to_arrays(list(rows.values_list("report_id", "vector")))

    def _reconcile(self) -> None:
        """After loading a saved file: add what was embedded since it was written, and drop
        what is gone from the database (deleted reports would crowd out real neighbours)."""
        started = timezone.now()
        ids = np.array(self._current().values_list("report_id", flat=True), dtype=np.int64)
        added, removed = self._vectors.sync(ids, self._fetch)
        self._synced_at = started
        if added or removed:
            log.info("report index: %d vectors added, %d removed", added, removed)

    def catch_up(self) -> None:
        """Add the vectors other processes stored since the last look."""
        since: datetime = self._synced_at - CATCH_UP_MARGIN
        started = timezone.now()
        # Ids first: the margin re-reads minutes of rows on every search, and almost all of
        # them are here already; only the missing ones' vectors are fetched.
        recent = self._current().filter(created_at__gte=since).values_list("report_id", flat=True)
        keys = np.array(recent, dtype=np.int64)
        missing = keys[~np.atleast_1d(self._vectors.index.contains(keys))] if len(keys) else keys
        if len(missing):
            self._vectors.add(*self._fetch(missing))
        self._synced_at = started

    def store(self, report_id: int, vector: np.ndarray) -> None:
        """Keep the vector (in the caller's transaction) and make it findable here at once."""
        # One statement, new or replaced (an upsert on the report).
        ReportVector.objects.bulk_create(
            [
                ReportVector(
                    report_id=report_id, model_id=self.encoder.model_id, vector=vector.tobytes()
                )
            ],
            update_conflicts=True,
            unique_fields=["report"],
            update_fields=["model_id", "vector"],
        )
        with self._lock:
            self._vectors.add(np.array([report_id]), vector[np.newaxis, :])

    def embed_many(self, texts: list[str]) -> list[np.ndarray]:
        """Each text's query vectors as the matching engine makes them: the whole text first
        (the one stored), then windows of a long one."""
        return encode_queries(self.encoder, [clustering_text(text) for text in texts])

    def nearest(self, text: str, vectors: np.ndarray, k: int = 20) -> list[Neighbour]:
        """The nearest reports to any of the text's vectors, best first by the matching
        engine's score. The index only proposes: cosines are recomputed exactly from the
        stored vectors, so neither its 16-bit storage nor a stale entry (a report rolled back,
        a vector replaced) can decide anything."""
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        with self._lock:
            self.catch_up()
            keys, _ = self._vectors.search(vectors, k)
        proposed = sorted({int(key) for key in keys.ravel().tolist() if key >= 0})
        rows = list(
            self._current()
            .filter(report_id__in=proposed)
            .values_list("report_id", "vector", "report__text")
        )
        ids, stored = self._rows_to_arrays([(key, vector) for key, vector, _ in rows])
        if not len(ids):
            return []
        scores, cosines = rescore(
            clustering_text(text),
            vectors,
            [clustering_text(neighbour_text) for _, _, neighbour_text in rows],
            stored,
        )
        order = np.lexsort((ids, -cosines, -scores))
        return [
            Neighbour(int(ids[i]), round(float(scores[i]), 6), round(float(cosines[i]), 6))
            for i in order
        ]

    def save(self) -> None:
        with self._lock:
            self._vectors.save()

    def rebuild(self) -> int:
        with self._lock:
            self._vectors.rebuild()
            return len(self._vectors)

    def __len__(self) -> int:
        return len(self._vectors)


def index_path() -> Path:
    return storage.derived_files().path(storage.REPORT_INDEX)


@cache
def report_index() -> ReportIndex:
    """This process's replica (built on first use, then kept)."""
    encoder = default_encoder()
    # Reports are embedded once and their vectors kept in the database; the file cache of
    # `baraza match` would only keep a second copy of them outside it.
    return ReportIndex(getattr(encoder, "inner", encoder), index_path())


def stale_reports() -> QuerySet[Report]:
    """Placed reports with words whose vector is missing or made by another model (after
    BARAZA_ENCODER changed): they must be re-embedded, never compared across models."""
    model_id = report_index().encoder.model_id
    current = ReportVector.objects.filter(model_id=model_id).values("report_id")
    return (
        Report.objects.filter(case_link__isnull=False)
        .exclude(case_link__reason="text")
        .exclude(pk__in=current)
        .exclude(text="")
        .order_by("pk")
    )


def reembed(
    report_ids: list[int], batch: int = 64, progress: Callable[[int], None] | None = None
) -> int:
    """Embed the given reports again and store their vectors; returns how many had words."""
    index = report_index()
    done = 0
    for start in range(0, len(report_ids), batch):
        reports = [
            r
            for r in Report.objects.filter(pk__in=report_ids[start : start + batch])
            if embeddable(r.text)
        ]
        if reports:
            vectors = index.embed_many([r.text for r in reports])
            with transaction.atomic():
                for report, vector in zip(reports, vectors, strict=True):
                    index.store(report.pk, vector[0])
            done += len(reports)
        if progress:
            progress(min(batch, len(report_ids) - start))
    return done
