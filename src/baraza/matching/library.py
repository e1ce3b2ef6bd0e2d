"""Searching the fact-check library with the same engine as `baraza match`.

Each process keeps a replica of the index, derived from the database and rebuilt when the library
changes (vectors come from the embedding cache, so a rebuild embeds only new fact-checks).
Libraries of BARAZA_FACTCHECK_INDEX_MIN fact-checks or more take their dense candidates from a
persistent HNSW index (`matching.storage.FACTCHECK_INDEX`) rather than scoring every claim.
Losing a process loses nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import Count, Max

from baraza.matching import storage
from baraza.matching.encoders import default_encoder
from baraza.matching.engine import Document, Matcher
from baraza.matching.index import VectorIndex
from baraza.matching.models import FactCheck

_lock = threading.Lock()
_replica: tuple[tuple[object, ...], Matcher] | None = None


def _version() -> tuple[object, ...]:
    """Changes whenever fact-checks are added or removed (ids alone can be reused)."""
    summary = FactCheck.objects.aggregate(
        count=Count("pk"), last=Max("pk"), newest=Max("created_at")
    )
    return summary["count"], summary["last"], summary["newest"]


def index_path() -> Path:
    return storage.derived_files().path(storage.FACTCHECK_INDEX)


def _attach_index(matcher: Matcher) -> None:
    """Large libraries get their dense candidates from the persistent HNSW index, brought in
    line with the library (it may be a file another process saved earlier)."""
    keys = np.array([int(doc.id) for doc in matcher.documents], dtype=np.int64)
    position = {int(key): n for n, key in enumerate(keys.tolist())}

    def fetch(wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return wanted, matcher.vectors[[position[int(key)] for key in wanted]]

    encoder = matcher.encoder
    index = VectorIndex(
        index_path(), encoder.dimensions, encoder.model_id, lambda: (keys, matcher.vectors)
    )
    added, removed = index.sync(keys, fetch)
    if added or removed:
        index.save()
    matcher.use_index(index, keys.tolist())


def factcheck_matcher() -> Matcher:
    global _replica
    version = _version()
    with _lock:
        if _replica is None or _replica[0] != version:
            documents = [
                Document(str(pk), claim, lang=language)
                for pk, claim, language in FactCheck.objects.values_list("pk", "claim", "language")
            ]
            matcher = Matcher(documents, default_encoder())
            if len(documents) >= settings.FACTCHECK_INDEX_MIN:
                _attach_index(matcher)
            _replica = (version, matcher)
        return _replica[1]


@dataclass(frozen=True)
class FoundFactCheck:
    factcheck: FactCheck
    score: float
    cosine: float


def search_factchecks(text: str, top_k: int = 5) -> list[FoundFactCheck]:
    matches = factcheck_matcher().search([text], top_k=top_k)[0]
    by_id = FactCheck.objects.in_bulk([int(m.id) for m in matches])
    return [
        FoundFactCheck(by_id[int(m.id)], m.score, m.cosine) for m in matches if int(m.id) in by_id
    ]
