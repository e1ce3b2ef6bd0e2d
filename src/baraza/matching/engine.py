"""The ranking: the encoder's cosine, plus lexical evidence that can only add.

One engine serves `baraza match`, fact-check search (case pages) and clustering: one
normalisation, one encoder, one scoring rule.

score = cosine + lexical_weight · lift(lexical), lift(x) = max(0, x - floor) / (1 - floor)

Reciprocal-rank fusion, used before, gave a lexical bonus only to documents in the query's
language, so any same-language fact-check sharing a few words outranked the right one in another
language: the hybrid fell below the encoder alone, crosslingually to the level of BM25. Here a
document's score never falls below its cosine and never drops when it shares more words with
the query (`Fusion.score` is monotone in both signals). What makes crosslingual matching fair
is upstream, in the vectors: the encoder's language is taken out of them
(encoders.LanguageNeutralEncoder), so the cosine no longer favours the query's language, and the
lexical term is an idf-weighted cosine bounded by 1, worth at most `lexical_weight`. Weight,
floor and windows are chosen by bench/match_quality.py --tune on CLEF train and the multilingual
set's tune part (the best mean MAP@5 of the settings least below the encoder alone on any tune
language pair); the per-pair figures on the held-out part are in the issue note.

Long queries (a post with the text of its screenshots) are longer than what the encoder reads
well: they are also read sentence by sentence (`windows`), and a document's cosine is its best
one against the whole text or any sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from baraza.matching.encoders import Encoder
from baraza.matching.lexical import BM25, LexicalIndex, terms

# A query longer than LONG_TEXT_CHARS is also read sentence by sentence: a claim of one or two
# sentences inside a page of OCR text is lost in the page's vector and even in a 600-character
# window of it (cosine 0.33 against 0.83 for the sentence alone). Sentences of fewer than
# SHORT_SENTENCE_TERMS lexical terms join the next (menu items, "Share"); longer than
# SENTENCE_CHARS, they are cut between words (or anywhere, in scripts without spaces). A
# repeated sentence is read once; beyond MAX_WINDOWS sentences, neighbours are read together,
# so the whole text is still read.
LONG_TEXT_CHARS = 600
SENTENCE_CHARS = 300
SHORT_SENTENCE_TERMS = 4
MAX_WINDOWS = 64
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？；؟۔।॥።፧])\s+|\n+|(?<=[。！？；።])")  # noqa: RUF001
_PIECES = re.compile(r"\S+\s*")


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
    score: float  # the ranking's score (Fusion.score): higher is better
    cosine: float  # the encoder's similarity alone


@dataclass(frozen=True)
class Fusion:
    """How the cosine and the lexical similarity make one score. `lexical_weight=0` is the encoder
    alone; `dense=False` ranks by BM25 alone (a benchmark baseline, not for the server)."""

    # Chosen by bench/match_quality.py --tune (CLEF train and the multilingual set's tune part).
    lexical_weight: float = 0.2
    lexical_floor: float = 0.0
    depth: int = 100
    windows: bool = True  # long queries also read sentence by sentence (`windows`)
    dense: bool = True

    @classmethod
    def encoder_alone(cls) -> Fusion:
        """The encoder's ranking alone: the whole text's cosine, nothing else."""
        return cls(lexical_weight=0.0, windows=False)

    def __post_init__(self) -> None:
        if self.lexical_weight < 0:
            raise ValueError("lexical_weight must not be negative: evidence may only add")
        if not 0.0 <= self.lexical_floor < 1.0:
            raise ValueError("lexical_floor must be in [0, 1)")

    def lift(self, lexical: np.ndarray | float) -> np.ndarray:
        excess = np.maximum(np.asarray(lexical, dtype=np.float64) - self.lexical_floor, 0.0)
        return excess / (1.0 - self.lexical_floor)

    def score(self, cosine: np.ndarray | float, lexical: np.ndarray | float) -> np.ndarray:
        return np.asarray(cosine, dtype=np.float64) + self.lexical_weight * self.lift(lexical)


def _cut(sentence: str) -> list[str]:
    pieces: list[str] = []
    current = ""
    for word in _PIECES.findall(sentence):
        while len(word) > SENTENCE_CHARS:  # a run without spaces (Han, Thai)
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:SENTENCE_CHARS])
            word = word[SENTENCE_CHARS:]
        if current and len(current) + len(word) > SENTENCE_CHARS:
            pieces.append(current)
            current = ""
        current += word
    if current.strip():
        pieces.append(current)
    return [piece.strip() for piece in pieces if piece.strip()]


def windows(text: str) -> list[str]:
    """The sentences of a long text, as the encoder should read them (see LONG_TEXT_CHARS)."""
    if len(text) <= LONG_TEXT_CHARS:
        return []
    found: list[str] = []
    pending = ""
    for sentence in _SENTENCE_END.split(text):
        for piece in _cut(sentence):
            pending = f"{pending} {piece}" if pending else piece
            if len(terms(pending)) >= SHORT_SENTENCE_TERMS:
                found.append(pending)
                pending = ""
    if pending:
        found.append(pending)
    found = list(dict.fromkeys(found))  # a repeated sentence says nothing new
    if len(found) > MAX_WINDOWS:
        group = -(-len(found) // MAX_WINDOWS)
        found = [" ".join(found[i : i + group]) for i in range(0, len(found), group)]
    return found


def encode_queries(
    encoder: Encoder, texts: Sequence[str], with_windows: bool = True
) -> list[np.ndarray]:
    """Each text's query vectors, one batch for all: the whole text first, then its windows
    when it is long (see the module's docstring)."""
    parts: list[str] = []
    owners: list[int] = []
    for row, text in enumerate(texts):
        for part in [text, *(windows(text) if with_windows else [])]:
            parts.append(part)
            owners.append(row)
    vectors = encoder.encode_queries(parts)
    grouped: list[list[np.ndarray]] = [[] for _ in texts]
    for owner, vector in zip(owners, vectors, strict=True):
        grouped[owner].append(vector)
    return [np.vstack(rows) for rows in grouped]


def best_cosines(query_vectors: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Each document's best cosine against any of one query's vectors."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.float32)
    return np.max(query_vectors @ vectors.T, axis=0)


def rescore(
    query: str,
    query_vectors: np.ndarray,
    texts: Sequence[str],
    vectors: np.ndarray,
    fusion: Fusion | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(scores, cosines) of candidates found elsewhere (clustering's report index), ranked by
    the same rule as a library search. The terms' weights come from the candidates themselves:
    what a neighbour shares with the query counts for more when the other neighbours lack it."""
    fusion = fusion or Fusion()
    cosines = best_cosines(query_vectors, vectors)
    return fusion.score(cosines, LexicalIndex(texts).similarity(query)), cosines


Progress = Callable[[int], None]


class DenseIndex(Protocol):
    """An approximate nearest-neighbour index over the documents' vectors (matching.index)."""

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...


@dataclass(frozen=True)
class Evidence:
    """What the ranking knows of one query: cosines (every document's when scoring exactly,
    else the index's candidates' by position), every document's lexical similarity, and the query's
    vectors (whole text, then windows)."""

    cosines: Mapping[int, float] | np.ndarray
    lexical: np.ndarray
    vectors: np.ndarray


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
        self._passages = passages
        self._bm25: BM25 | None = None
        self._index: DenseIndex | None = None
        self._positions: dict[int, int] = {}

    def use_index(self, index: DenseIndex, keys: Sequence[int]) -> None:
        """Take dense candidates from an approximate index (keys[i] names document i) instead
        of scoring every document: for large libraries, where exact scoring costs more than
        the encoder. Candidates are still scored exactly before they are ranked."""
        self._index = index
        self._positions = {int(key): position for position, key in enumerate(keys)}

    def _cosines(self, query_vectors: np.ndarray, depth: int) -> Mapping[int, float] | np.ndarray:
        """The documents' best cosines: all of them when scoring exactly; else those of the
        index's candidates (for every vector of the query), computed exactly."""
        if self._index is None:
            return best_cosines(query_vectors, self.vectors)
        keys, _ = self._index.search(query_vectors, depth)
        proposed = {self._positions[k] for k in keys.ravel().tolist() if k in self._positions}
        positions = np.array(sorted(proposed), dtype=np.int64)
        exact = best_cosines(query_vectors, self.vectors[positions])
        return dict(zip(positions.tolist(), exact.tolist(), strict=True))

    def search(self, queries: Sequence[str], top_k: int = 10) -> list[list[Match]]:
        """The best matches per query, best first (see the module's docstring)."""
        if not queries:
            return []
        if not self.documents:
            return [[] for _ in queries]
        if not self.fusion.dense:
            return self._bm25_search(queries, top_k)
        return [self.rank(evidence, top_k) for evidence in self.evidence(queries)]

    def evidence(self, queries: Sequence[str]) -> list[Evidence]:
        depth = min(self.fusion.depth, len(self.documents))
        encoded = encode_queries(self.encoder, queries, self.fusion.windows)
        return [
            Evidence(self._cosines(vectors, depth), self.lexical.similarity(query), vectors)
            for query, vectors in zip(queries, encoded, strict=True)
        ]

    def rank(self, evidence: Evidence, top_k: int) -> list[Match]:
        fusion = self.fusion
        cosines, lexical, query_vectors = evidence.cosines, evidence.lexical, evidence.vectors
        depth = min(fusion.depth, len(self.documents))
        if isinstance(cosines, np.ndarray):
            candidates = np.arange(len(cosines))
            dense = cosines.astype(np.float64)
        else:
            candidates = np.fromiter(cosines.keys(), dtype=np.int64, count=len(cosines))
            dense = np.fromiter(cosines.values(), dtype=np.float64, count=len(cosines))
            # Documents the index did not propose but whose wording the query shares are
            # candidates too, with their exact cosine.
            lifted = np.flatnonzero(lexical > fusion.lexical_floor)
            extra = np.setdiff1d(lifted, candidates) if fusion.lexical_weight else lifted[:0]
            if len(extra):
                extra = extra[np.argsort(-lexical[extra])][:depth]
                candidates = np.concatenate([candidates, extra])
                dense = np.concatenate([dense, best_cosines(query_vectors, self.vectors[extra])])
        scores = fusion.score(dense, lexical[candidates])
        if len(scores) > top_k:  # only the best few are sorted; ties at the edge stay in
            edge = np.partition(scores, len(scores) - top_k)[len(scores) - top_k]
            keep = np.flatnonzero(scores >= edge)
            candidates, dense, scores = candidates[keep], dense[keep], scores[keep]
        # Equal scores go to the closer meaning, then to the earlier document.
        order = np.lexsort((candidates, -dense, -scores))[:top_k]
        return [
            Match(
                self.documents[int(candidates[i])].id,
                round(float(scores[i]), 6),
                round(float(dense[i]), 6),
            )
            for i in order
        ]

    def _bm25_search(self, queries: Sequence[str], top_k: int) -> list[list[Match]]:
        if self._bm25 is None:
            self._bm25 = BM25(self._passages)
        indexes, scores = self._bm25.search(queries, top_k)
        return [
            [
                Match(self.documents[int(i)].id, round(float(s), 6), 0.0)
                for i, s in zip(row_indexes, row_scores, strict=True)
                if s > 0
            ]
            for row_indexes, row_scores in zip(indexes, scores, strict=True)
        ]
