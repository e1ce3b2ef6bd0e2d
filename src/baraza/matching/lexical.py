"""BM25 over normalised words (bm25s), the lexical half of the hybrid ranking."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence

import bm25s
import numpy as np

from baraza.matching.normalise import normalised_text


def words(text: str) -> list[str]:
    return normalised_text(text).split()


class LexicalIndex:
    def __init__(self, texts: Sequence[str]) -> None:
        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        if texts:
            # bm25s wants every document to have a token; an empty one gets a placeholder.
            # It also prints to stdout, which `baraza match` keeps for its results.
            with contextlib.redirect_stdout(sys.stderr):
                self._bm25.index([words(t) or ["\u2205"] for t in texts], show_progress=False)

    def search(self, queries: Sequence[str], depth: int) -> tuple[np.ndarray, np.ndarray]:
        """(document indexes, scores), each of shape (len(queries), depth), best first."""
        depth = min(depth, self._size)
        if not queries or depth == 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(int), empty
        tokens = [words(query) or ["\u2205"] for query in queries]
        with contextlib.redirect_stdout(sys.stderr):
            indexes, scores = self._bm25.retrieve(tokens, k=depth, show_progress=False)
        return np.asarray(indexes), np.asarray(scores)
