"""A persistent approximate-nearest-neighbour index of vectors (usearch HNSW, cosine).

Derived state, like HMA's matcher replicas: the database holds the truth, so a missing, corrupt
or foreign (other model, other size) index file is rebuilt from it, never fatal. Saving writes a
new file and renames it over the old one, so readers in other processes never see half a file;
they reload when the file changes.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from usearch.index import Index

log = logging.getLogger(__name__)

Source = Callable[[], tuple[np.ndarray, np.ndarray]]  # (int64 keys, float32 vectors)
Source1 = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # the same, for given keys


class VectorIndex:
    def __init__(self, path: Path, ndim: int, model_id: str, source: Source) -> None:
        self.path = path
        self.ndim = ndim
        self.model_id = model_id
        self._source = source
        self._meta_path = path.with_suffix(".json")
        self._loaded_mtime = 0.0
        self.index = self._open()

    def _fresh(self) -> Index:
        return Index(ndim=self.ndim, metric="cos", dtype="f16", connectivity=16)

    def _tune(self) -> None:
        """Candidates examined per search grow with the index (bench/index_speed.py, e5-like
        vectors): 32 keeps recall@10 at 0.999 up to 100k; at 1M it takes 128 for 0.98."""
        self.index.expansion_search = 32 if len(self.index) < 250_000 else 128  # type: ignore[misc]

    def _matches_model(self) -> bool:
        try:
            meta = json.loads(self._meta_path.read_text())
        except (OSError, ValueError):
            return False
        return bool(meta.get("model_id") == self.model_id and meta.get("ndim") == self.ndim)

    def _open(self) -> Index:
        if self.path.exists() and self._matches_model():
            try:
                index = Index.restore(str(self.path))
                if index is not None and index.ndim == self.ndim:
                    self._loaded_mtime = self.path.stat().st_mtime
                    self.index = index
                    self._tune()
                    return index
            except (RuntimeError, ValueError, OSError) as error:
                log.warning("index %s is unreadable (%s); rebuilding it", self.path, error)
        return self.rebuild()

    def rebuild(self) -> Index:
        index = self._fresh()
        keys, vectors = self._source()
        if len(keys):
            index.add(np.asarray(keys, dtype=np.int64), np.asarray(vectors, dtype=np.float32))
        self.index = index
        self._tune()
        self.save()
        return index

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.int64)
        self.remove(keys)
        self.index.add(keys, np.asarray(vectors, dtype=np.float32))
        self._tune()

    def sync(self, keys: np.ndarray, fetch: Source1, chunk: int = 10_000) -> tuple[int, int]:
        """Make the index hold exactly `keys` (after loading a saved file, the source may have
        moved on): drop the others, add the missing ones with what `fetch` finds of them.
        Returns (added, removed)."""
        keys = np.asarray(keys, dtype=np.int64)
        gone = np.setdiff1d(np.asarray(self.index.keys, dtype=np.int64), keys)
        if len(gone):
            self.index.remove(gone)
        added = 0
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            missing = part[~np.atleast_1d(self.index.contains(part))] if len(part) else part
            if len(missing):
                found, vectors = fetch(missing)
                self.add(found, vectors)
                added += len(found)
        return added, len(gone)

    def remove(self, keys: np.ndarray | list[int]) -> None:
        """Drop the keys the index holds; others are ignored."""
        keys = np.asarray(keys, dtype=np.int64)
        present = keys[np.atleast_1d(self.index.contains(keys))] if len(keys) else keys
        if len(present):
            self.index.remove(present)

    def __len__(self) -> int:
        return len(self.index)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(keys, cosine similarities), each (len(queries), ≤k), best first; -1 pads."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if len(self.index) == 0:
            empty = np.full((len(queries), 0), -1)
            return empty, empty.astype(np.float32)
        found = self.index.search(queries, min(k, len(self.index)))
        keys = np.atleast_2d(found.keys).astype(np.int64)
        similarities = 1.0 - np.atleast_2d(found.distances).astype(np.float32)
        return keys, similarities

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A name of its own: web processes and workers may save the same index at once.
        temporary = self.path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        self.index.save(str(temporary))
        os.replace(temporary, self.path)
        meta = {"model_id": self.model_id, "ndim": self.ndim, "size": len(self.index)}
        self._meta_path.write_text(json.dumps(meta))
        self._loaded_mtime = self.path.stat().st_mtime

    def reload_if_changed(self) -> bool:
        """For readers: pick up what a writer in another process saved."""
        try:
            mtime = self.path.stat().st_mtime
        except OSError:
            return False
        if mtime == self._loaded_mtime:
            return False
        self.index = self._open()
        return True
