"""Calibrating the thresholds on the ranking's score (BARAZA_CLUSTER_AUTO_LINK / _SUGGEST and
BARAZA_FACTCHECK_MIN_SCORE) on real data.

Clustering asks: "is this new report the same claim as the nearest existing case?" We simulate
it on CLEF CheckThat! 2020 task 2 (../shared/data/clef2020-task2): each of the 10,389 verified
claims plays an existing report (its wording differs from the tweets', as reports of one claim
do), each tweet a new report, ranked exactly as placement ranks: the report index's nearest
stored reports by cosine (any window of a long report), rescored by the matching engine (cosine
plus lexical evidence weighed among those neighbours, `matching.engine.rescore`). The best is
either the tweet's own claim (a correct link) or not (a wrong one). For each threshold we print:

- linked: share of tweets whose best score clears the threshold;
- precision: share of those links that are correct;
- recall: share of all tweets linked to their own claim;
- absent→linked: with the tweet's own claim taken out (the report is a new claim), the share
  still linked to some case: wrong merges at auto-link, wasted reviewer time at suggest.

CLEF's claim set holds the same claim more than once (the same Snopes claim with its quotes
escaped differently); a link to such a twin is counted correct, since for clustering it is.
Reports are embedded as the server embeds them: without links, handles and tags.

The same curves follow for the fact-check side (a tweet against the claims as the library
ranks them, as the case page searches), and for the multilingual set's tune part
(bench/data/multilingual: posts in 12 languages; the held-out part is never read here).
The defaults are chosen on CLEF train and checked on dev and the multilingual set: auto-link is
the lowest threshold whose precision stays ≥ 0.98 and that links at most 1% of new claims (a
wrong merge hides a report in another claim's case); suggest the lowest at which at most a
quarter of new claims get a suggestion (a reviewer confirms or rejects each).

Run: `uv run python bench/clustering_thresholds.py` (part of `make bench`).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

THRESHOLDS = [t / 100 for t in range(30, 101, 2)]
NEIGHBOURS = 20  # what the report index proposes per search (cases.similarity)


def curve(label, correct, similarity, absent=None):  # type: ignore[no-untyped-def]
    print(f"\n{label} ({len(correct)} reports)")
    print(
        f"{'threshold':>10}{'linked':>9}{'precision':>11}{'recall':>8}"
        + (f"{'absent→linked':>15}" if absent is not None else "")
    )
    rows = {}
    for threshold in THRESHOLDS:
        linked = similarity >= threshold
        precision = float(correct[linked].mean()) if linked.any() else 1.0
        recall = float((correct & linked).mean())
        wrongly = float((absent >= threshold).mean()) if absent is not None else 0.0
        rows[threshold] = (precision, wrongly)
        print(
            f"{threshold:>10.2f}{linked.mean():>9.3f}{precision:>11.3f}{recall:>8.3f}"
            + (f"{wrongly:>15.3f}" if absent is not None else "")
        )
    return rows


def lowest_with(rows, precision: float = 0.0, wrongly: float = 1.0) -> float:  # type: ignore[no-untyped-def]
    """The lowest threshold from which precision stays at or above its bound and the share of
    new claims wrongly linked at or below its bound."""
    chosen = THRESHOLDS[-1]
    for threshold in reversed(THRESHOLDS):
        if rows[threshold][0] < precision or rows[threshold][1] > wrongly:
            break
        chosen = threshold
    return chosen


def outcomes(ranked, wanted):  # type: ignore[no-untyped-def]
    """From each query's (document, score) list, best first: whether the best is right, its
    score, and the best score once every right document is taken out (the query as a new
    claim)."""
    import numpy as np

    correct = np.array([bool(r) and r[0][0] in w for r, w in zip(ranked, wanted, strict=True)])
    similarity = np.array([r[0][1] if r else -1.0 for r in ranked])
    absent = np.array(
        [next((s for d, s in r if d not in w), -1.0) for r, w in zip(ranked, wanted, strict=True)]
    )
    return correct, similarity, absent


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baraza.settings")
    os.environ.setdefault(
        "BARAZA_DATA_DIR", str(Path(tempfile.gettempdir()) / "baraza-bench-match")
    )
    import django

    django.setup()
    import numpy as np
    from match_quality import DATA, read_qrels, read_tsv
    from multilingual import load as load_multilingual

    from baraza.cases.similarity import clustering_text, words
    from baraza.matching.encoders import default_encoder
    from baraza.matching.engine import Document, Matcher, best_cosines, encode_queries, rescore
    from baraza.matching.normalise import normalised_text

    encoder = default_encoder()
    claims = read_tsv(DATA / "verified_claims.docs.tsv")
    claim_ids = list(claims)
    claim_texts = [claims[k]["vclaim"] for k in claim_ids]
    # Reports are stored as the server stores them: the whole text in query mode.
    claim_vectors = encoder.encode_queries(claim_texts)
    same_claim = [normalised_text(text) for text in claim_texts]
    twins: dict[str, set[int]] = {}
    for n, text in enumerate(same_claim):
        twins.setdefault(text, set()).add(n)

    def clustered(texts: list[str], corpus_texts: list[str], corpus_vectors):  # type: ignore[no-untyped-def]
        """Each report against the stored reports as placement ranks them: the index's
        nearest by cosine (any window of the report), rescored by the matching engine."""
        ranked = []
        for text, vectors in zip(
            texts, encode_queries(encoder, [clustering_text(t) for t in texts]), strict=True
        ):
            cosines = best_cosines(vectors, corpus_vectors)
            near = np.argpartition(-cosines, NEIGHBOURS)[:NEIGHBOURS]
            scores, _ = rescore(
                clustering_text(text),
                vectors,
                [clustering_text(corpus_texts[i]) for i in near],
                corpus_vectors[near],
            )
            order = np.argsort(-scores)
            ranked.append([(int(near[i]), float(scores[i])) for i in order])
        return ranked

    chosen: dict[str, float] = {}
    for split in ("train", "dev"):
        tweets = read_tsv(DATA / split / "tweets.queries.tsv")
        relevant = read_qrels(DATA / split / "tweet-vclaim-pairs.qrels")
        ids = [t for t in tweets if t in relevant]
        texts = [tweets[t]["tweet_content"] for t in ids]
        wanted = [
            set().union(*(twins[same_claim[claim_ids.index(c)]] for c in relevant[t])) for t in ids
        ]
        correct, similarity, absent = outcomes(clustered(texts, claim_texts, claim_vectors), wanted)
        rows = curve(f"CLEF {split}: tweet → nearest claim", correct, similarity, absent)
        short = np.array([words(text) < 8 for text in texts])
        if short.any():
            curve(f"CLEF {split}: tweets under 8 words", correct[short], similarity[short])
        if split == "train":
            chosen = {
                "auto_link": lowest_with(rows, precision=0.98, wrongly=0.01),
                "suggest": lowest_with(rows, wrongly=0.25),
            }

    # The fact-check side (BARAZA_FACTCHECK_MIN_SCORE_PERCENT): a report against the claims as
    # the library holds them (passage mode, the claim alone), ranked as the case page ranks.
    library = Matcher(
        [Document(str(n), text) for n, text in enumerate(claim_texts)], encoder, batch_size=128
    )
    for split in ("train", "dev"):
        tweets = read_tsv(DATA / split / "tweets.queries.tsv")
        relevant = read_qrels(DATA / split / "tweet-vclaim-pairs.qrels")
        ids = [t for t in tweets if t in relevant]
        wanted = [
            set().union(*(twins[same_claim[claim_ids.index(c)]] for c in relevant[t])) for t in ids
        ]
        found = library.search([tweets[t]["tweet_content"] for t in ids], top_k=NEIGHBOURS)
        ranked = [[(int(m.id), m.score) for m in row] for row in found]
        rows = curve(
            f"CLEF {split}: tweet → nearest fact-check (passage)", *outcomes(ranked, wanted)
        )
        if split == "train":
            factcheck_rows = rows

    # The multilingual set's tune part (bench/data/multilingual): posts in 12 languages against
    # fact-checks in their own language, English or a third, among same-language distractors.
    corpus = load_multilingual(claims, read_tsv(DATA / "train" / "tweets.queries.tsv"))
    queries = [q for q in corpus.queries if q.split == "tune"]
    documents = [Document(*row) for row in corpus.documents]
    position = {doc.id: n for n, doc in enumerate(documents)}
    wanted = [{position[q.gold]} for q in queries]
    texts = [q.text for q in queries]
    corpus_texts = [doc.text for doc in documents]
    as_reports = clustered(texts, corpus_texts, encoder.encode_queries(corpus_texts))
    curve("multilingual tune: post → nearest report", *outcomes(as_reports, wanted))
    ml_library = Matcher(documents, encoder, batch_size=128)
    found = ml_library.search(texts, top_k=NEIGHBOURS)
    ranked = [[(position[m.id], m.score) for m in row] for row in found]
    ml_rows = curve("multilingual tune: post → nearest fact-check", *outcomes(ranked, wanted))

    print(
        f"\nchosen on CLEF train: auto-link {chosen['auto_link']:.2f} (precision ≥ 0.98 and at "
        f"most 1% of new claims linked), suggest {chosen['suggest']:.2f} (at most 25% of new "
        "claims get a suggestion)"
    )
    print(
        f"fact-checks on a case page: CLEF {lowest_with(factcheck_rows, wrongly=0.10):.2f}, "
        f"multilingual {lowest_with(ml_rows, wrongly=0.10):.2f} (at most 10% of new claims "
        "shown an unrelated fact-check)"
    )


if __name__ == "__main__":
    main()
