"""Hybrid ranking: dense (encoder) and lexical (BM25) candidates, fused by reciprocal rank.

The same engine serves `baraza match` and, later, the server's matching of reports and
fact-checks: one normalisation, one encoder, one ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

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
        cosines = self.encoder.encode_queries(queries) @ self.vectors.T
        # Only the best `depth` are ranked: a partial sort, not a sort of the whole library.
        top = np.argpartition(-cosines, depth - 1, axis=1)[:, :depth]
        order = np.argsort(-np.take_along_axis(cosines, top, axis=1), axis=1)
        dense = np.take_along_axis(top, order, axis=1)
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
            results.append(self._fuse(dense[row], candidates, cosines[row], top_k))
        return results

    def _fuse(
        self, dense: np.ndarray, lexical: np.ndarray, cosines: np.ndarray, top_k: int
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
