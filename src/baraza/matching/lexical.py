"""The lexical half of the ranking: how much of a document's wording a query carries.

Terms are language-aware. Scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar,
Tibetan), and the syllabic scripts whose words carry many affixes (Hangul, Ethiopic), give
character bigrams — a whitespace "word" there is a whole phrase or a word with its particles,
which another text rarely repeats exactly. Other scripts give their normalised words.

`similarity` is the cosine of the query's and a document's sets of terms, each term weighed by
its idf (BM25's, from the indexed documents): 1.0 for the same words, 0.0 for none in common,
rare shared words counting for more than common ones. Bounded and scale-free, it means the same
in every language and library size — what lets the ranking add it to a cosine (engine.Fusion).

`BM25` (bm25s) is kept only as the baseline the benchmarks compare against.
"""

from __future__ import annotations

import contextlib
import math
import re
import sys
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from baraza.matching.normalise import normalised_text

_BIGRAM_SCRIPTS = re.compile(
    "["
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul
    "\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f"  # Ethiopic
    "\u3040-\u30ff\u31f0-\u31ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\u0e00-\u0eff"  # Thai, Lao
    "\u1780-\u17ff"  # Khmer
    "\u1000-\u109f"  # Myanmar
    "\u0f00-\u0fff"  # Tibetan
    "]"
)


def terms(text: str) -> list[str]:
    """The text's lexical terms: words, or character bigrams in the scripts named above."""
    found: list[str] = []
    for word in normalised_text(text).split():
        if len(word) > 1 and _BIGRAM_SCRIPTS.search(word):
            found.extend(word[i : i + 2] for i in range(len(word) - 1))
        else:
            found.append(word)
    return found


class LexicalIndex:
    def __init__(self, texts: Sequence[str]) -> None:
        self._size = size = len(texts)
        postings: dict[str, list[int]] = defaultdict(list)
        for position, text in enumerate(texts):
            for term in set(terms(text)):
                postings[term].append(position)
        self._idf = {
            term: math.log(1.0 + (size - len(found) + 0.5) / (len(found) + 0.5))
            for term, found in postings.items()
        }
        self._postings = {
            term: np.asarray(found, dtype=np.int64) for term, found in postings.items()
        }
        norm = np.zeros(size, dtype=np.float64)
        for term, found in self._postings.items():
            norm[found] += self._idf[term] ** 2
        # A document without terms (emoji, a link) shares nothing with anything.
        self._norm = np.where(norm > 0, np.sqrt(norm), np.inf)

    def similarity(self, query: str) -> np.ndarray:
        """Every document's lexical similarity to the query, in [0, 1]: the cosine of their
        sets of terms, each weighed by its idf (a term unknown to the documents weighs as the
        rarest)."""
        shared = np.zeros(self._size, dtype=np.float64)
        unknown = math.log(1.0 + (self._size + 0.5) / 0.5)
        query_norm = 0.0
        for term in set(terms(query)):
            weight = self._idf.get(term, unknown)
            query_norm += weight**2
            found = self._postings.get(term)
            if found is not None:
                shared[found] += weight**2
        if query_norm == 0:
            return shared
        return np.minimum(shared / (self._norm * math.sqrt(query_norm)), 1.0)


class BM25:
    """Okapi BM25 over the same terms (bm25s): the benchmarks' "lexical alone" baseline."""

    def __init__(self, texts: Sequence[str]) -> None:
        import bm25s  # only the benchmarks rank by BM25

        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        if texts:
            # bm25s wants every document to have a token; an empty one gets a placeholder.
            # It also prints to stdout, which `baraza match` keeps for its results.
            with contextlib.redirect_stdout(sys.stderr):
                self._bm25.index([terms(t) or ["\u2205"] for t in texts], show_progress=False)

    def search(self, queries: Sequence[str], depth: int) -> tuple[np.ndarray, np.ndarray]:
        """(document indexes, scores), each of shape (len(queries), depth), best first."""
        depth = min(depth, self._size)
        if not queries or depth == 0:
            empty = np.zeros((len(queries), 0))
            return empty.astype(int), empty
        tokens = [terms(query) or ["\u2205"] for query in queries]
        with contextlib.redirect_stdout(sys.stderr):
            indexes, scores = self._bm25.retrieve(tokens, k=depth, show_progress=False)
        return np.asarray(indexes), np.asarray(scores)
