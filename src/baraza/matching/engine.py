"""Hybrid ranking: dense (encoder) and lexical (BM25) candidates, fused by reciprocal rank.

The same engine serves `baraza match` and, later, the server's matching of reports and
fact-checks: one normalisation, one encoder, one ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from baraza.matching.encoders import Encoder
from baraza.matching.langid import detect_language
from baraza.matching.lexical import LexicalIndex


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    title: str = ""
    lang: str = ""

    @property
    def passage(self) -> str:
        return f"{self.title}. {self.text}" if self.title else self.text


@dataclass(frozen=True)
class Match:
    id: str
    score: float  # the fused score: higher is better; comparable within one query
    cosine: float  # the dense similarity, for thresholds


@dataclass(frozen=True)
class Fusion:
    """Reciprocal-rank fusion: score = Σ weight / (k + rank). Defaults chosen by a grid search on
    the CLEF 2020 train split (bench/match_quality.py --tune): k=10, equal weights, depth 100."""

    k: int = 10
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    depth: int = 100


Progress = Callable[[int], None]


class DenseIndex(Protocol):
    """An approximate nearest-neighbour index over the documents' vectors (matching.index)."""

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...


class Matcher:
    def __init__(
        self,
        documents: Sequence[Document],
        encoder: Encoder,
        fusion: Fusion = Fusion(),
        batch_size: int = 64,
        progress: Progress | None = None,
    ) -> None:
        self.documents = list(documents)
        self.encoder = encoder
        self.fusion = fusion
        passages = [doc.passage for doc in self.documents]
        chunks = []
        for start in range(0, len(passages), batch_size):
            chunk = passages[start : start + batch_size]
            chunks.append(encoder.encode_passages(chunk))
            if progress:
                progress(len(chunk))
        self.vectors = (
            np.vstack(chunks) if chunks else np.zeros((0, encoder.dimensions), dtype=np.float32)
        )
        self.lexical = LexicalIndex(passages)
        self.languages = np.array([doc.lang or detect_language(doc.text) for doc in self.documents])
        self._index: DenseIndex | None = None
        self._positions: dict[int, int] = {}

    def use_index(self, index: DenseIndex, keys: Sequence[int]) -> None:
        """Take dense candidates from an approximate index (keys[i] names document i) instead
        of scoring every document: for large libraries, where exact scoring costs more than
        the encoder. Candidates are still scored exactly before they are ranked."""
        self._index = index
        self._positions = {int(key): position for position, key in enumerate(keys)}

    def _dense_candidates(
        self, query_vectors: np.ndarray, depth: int
    ) -> tuple[list[np.ndarray], np.ndarray | None]:
        """The best `depth` documents per query by cosine, best first, and (exact scoring
        only) every document's cosine."""
        if self._index is not None:
            keys, _ = self._index.search(query_vectors, depth)
            rows = [
                np.array(
                    [self._positions[k] for k in row.tolist() if k in self._positions],
                    dtype=np.int64,
                )
                for row in keys
            ]
            return rows, None
        cosines = query_vectors @ self.vectors.T
        # Only the best `depth` are ranked: a partial sort, not a sort of the whole library.
        top = np.argpartition(-cosines, depth - 1, axis=1)[:, :depth]
        order = np.argsort(-np.take_along_axis(cosines, top, axis=1), axis=1)
        return list(np.take_along_axis(top, order, axis=1)), cosines

    def search(
        self, queries: Sequence[str], top_k: int = 10, languages: Sequence[str] = ()
    ) -> list[list[Match]]:
        """Best matches per query. Lexical evidence counts only between texts of one language
        (a French query sharing "vote" with an English claim proves nothing); the encoder
        matches across languages. Query languages are detected where not given."""
        if not queries:
            return []
        depth = min(self.fusion.depth, len(self.documents))
        if depth == 0:
            return [[] for _ in queries]
        query_vectors = self.encoder.encode_queries(queries)
        dense, all_cosines = self._dense_candidates(query_vectors, depth)
        lexical, lexical_scores = self.lexical.search(queries, depth)
        query_languages = [
            (languages[row] if row < len(languages) else "") or detect_language(query)
            for row, query in enumerate(queries)
        ]
        results = []
        for row, language in enumerate(query_languages):
            # A document sharing no word with the query is no lexical candidate at all.
            candidates = lexical[row][lexical_scores[row] > 0]
            if language:
                found = self.languages[candidates]
                candidates = candidates[(found == language) | (found == "")]
            cosines: Mapping[int, float] | np.ndarray
            if all_cosines is not None:
                cosines = all_cosines[row]
            else:
                union = np.union1d(dense[row], candidates).astype(np.int64)
                exact = self.vectors[union] @ query_vectors[row]
                cosines = dict(zip(union.tolist(), exact.tolist(), strict=True))
                # The index's order is approximate; the ranks fused are the exact ones.
                dense[row] = dense[row][np.argsort([-cosines[i] for i in dense[row].tolist()])]
            results.append(self._fuse(dense[row], candidates, cosines, top_k))
        return results

    def _fuse(
        self,
        dense: np.ndarray,
        lexical: np.ndarray,
        cosines: Mapping[int, float] | np.ndarray,
        top_k: int,
    ) -> list[Match]:
        fusion = self.fusion
        scores: dict[int, float] = {}
        for weight, ranking in ((fusion.dense_weight, dense), (fusion.lexical_weight, lexical)):
            if weight <= 0:  # a switched-off ranking proposes no candidates either
                continue
            for rank, index in enumerate(ranking, start=1):
                scores[int(index)] = scores.get(int(index), 0.0) + weight / (fusion.k + rank)
        # Equal fused scores (rank 1 + rank 2 either way round) go to the closer meaning.
        best = sorted(scores.items(), key=lambda item: (-item[1], -cosines[item[0]]))[:top_k]
        return [
            Match(self.documents[i].id, round(score, 6), round(float(cosines[i]), 6))
            for i, score in best
        ]
