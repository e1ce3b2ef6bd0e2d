"""Calibrating the clustering thresholds (BARAZA_CLUSTER_AUTO_LINK / _SUGGEST) on real data.

Clustering asks: "is this new report the same claim as the nearest existing case?" We simulate
it on CLEF CheckThat! 2020 task 2 (../shared/data/clef2020-task2): each of the 10,389 verified
claims plays an existing case (its wording differs from the tweets', as reports of one claim
do), each tweet a new report. The nearest case by cosine (both sides embedded as e5 "query:",
the symmetric mode the server stores for reports) is either the tweet's own claim (a correct
link) or not (a wrong one). For each threshold we print, per split:

- linked: share of tweets whose nearest case clears the threshold;
- precision: share of those links that are correct;
- recall: share of all tweets linked to their own claim;
- absent→linked: with the tweet's own claim taken out (the report is a new claim), the share
  still linked to some case: wrong merges at auto-link, wasted reviewer time at suggest.

CLEF's claim set holds the same claim more than once (the same Snopes claim with its quotes
escaped differently); a link to such a twin is counted correct, since for clustering it is.
Reports are embedded as the server embeds them: without links, handles and tags.

We also score the crosslingual set (bench/data/crosslingual.jsonl: each translation against
the 10 English originals hidden among the CLEF claims) and, separately, short texts (< 8 words).
The defaults are chosen on the train split and confirmed on dev: auto-link is the lowest
threshold whose precision stays ≥ 0.98 and that links at most 1% of new claims (a wrong merge
hides a report in another claim's case); suggest the lowest at which at most a quarter of new
claims get a suggestion (a reviewer confirms or rejects each).

Run: `uv run python bench/clustering_thresholds.py` (part of `make bench`).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

THRESHOLDS = [t / 100 for t in range(78, 98)]


def nearest(queries, corpus):  # type: ignore[no-untyped-def]
    import numpy as np

    cosines = queries @ corpus.T
    best = np.argmax(cosines, axis=1)
    return best, cosines[np.arange(len(queries)), best]


def curve(correct, similarity, label, absent=None):  # type: ignore[no-untyped-def]
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


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baraza.settings")
    os.environ.setdefault(
        "BARAZA_DATA_DIR", str(Path(tempfile.gettempdir()) / "baraza-bench-match")
    )
    import django

    django.setup()
    from match_quality import DATA, read_qrels, read_tsv

    from baraza.cases.similarity import clustering_text, words
    from baraza.matching.encoders import default_encoder
    from baraza.matching.normalise import normalised_text

    encoder = default_encoder()
    claims = read_tsv(DATA / "verified_claims.docs.tsv")
    claim_ids = list(claims)
    claim_vectors = encoder.encode_queries([claims[k]["vclaim"] for k in claim_ids])
    same_claim = [normalised_text(claims[k]["vclaim"]) for k in claim_ids]
    position = {claim_id: n for n, claim_id in enumerate(claim_ids)}

    chosen: dict[str, float] = {}
    for split in ("train", "dev"):
        tweets = read_tsv(DATA / split / "tweets.queries.tsv")
        relevant = read_qrels(DATA / split / "tweet-vclaim-pairs.qrels")
        ids = [t for t in tweets if t in relevant]
        texts = [tweets[t]["tweet_content"] for t in ids]
        vectors = encoder.encode_queries([clustering_text(text) for text in texts])
        best, similarity = nearest(vectors, claim_vectors)
        import numpy as np

        correct = np.array(
            [
                same_claim[int(b)]
                in {same_claim[position[c]] for c in relevant[t] if c in position}
                for t, b in zip(ids, best, strict=True)
            ]
        )
        # The same tweets as new claims: their own claim (and its twins) taken out of the corpus.
        cosines = vectors @ claim_vectors.T
        for row, t in enumerate(ids):
            wanted = {same_claim[position[c]] for c in relevant[t] if c in position}
            cosines[row, [n for n, text in enumerate(same_claim) if text in wanted]] = -1.0
        absent = cosines.max(axis=1)
        rows = curve(correct, similarity, f"CLEF {split}: tweet → nearest claim", absent)
        short = np.array([words(text) < 8 for text in texts])
        if short.any():
            curve(correct[short], similarity[short], f"CLEF {split}: tweets under 8 words")
        if split == "train":
            chosen = {
                "auto_link": lowest_with(rows, precision=0.98, wrongly=0.01),
                "suggest": lowest_with(rows, wrongly=0.25),
            }

    # The fact-check side (BARAZA_FACTCHECK_MIN_COSINE_PERCENT): a report (query mode) against
    # the claims as the library embeds them (passage mode, the claim alone), as the case page
    # searches them.
    passages = encoder.encode_passages([claims[k]["vclaim"] for k in claim_ids])
    for split in ("train", "dev"):
        tweets = read_tsv(DATA / split / "tweets.queries.tsv")
        relevant = read_qrels(DATA / split / "tweet-vclaim-pairs.qrels")
        ids = [t for t in tweets if t in relevant]
        queries = encoder.encode_queries([tweets[t]["tweet_content"] for t in ids])
        best, similarity = nearest(queries, passages)
        correct = np.array(
            [
                same_claim[int(b)]
                in {same_claim[position[c]] for c in relevant[t] if c in position}
                for t, b in zip(ids, best, strict=True)
            ]
        )
        cosines = queries @ passages.T
        for row, t in enumerate(ids):
            wanted = {same_claim[position[c]] for c in relevant[t] if c in position}
            cosines[row, [n for n, text in enumerate(same_claim) if text in wanted]] = -1.0
        rows = curve(
            correct,
            similarity,
            f"CLEF {split}: tweet → nearest fact-check (passage)",
            cosines.max(axis=1),
        )
        if split == "train":
            factcheck_rows = rows

    rows_x = [json.loads(line) for line in (HERE / "data" / "crosslingual.jsonl").open()]
    english = [r for r in rows_x if r["lang"] == "en"]
    others = [r for r in rows_x if r["lang"] != "en"]
    corpus = np.vstack([claim_vectors, encoder.encode_queries([r["text"] for r in english])])
    queries = encoder.encode_queries([clustering_text(r["text"]) for r in others])
    best, similarity = nearest(queries, corpus)
    correct = np.array(
        [
            b >= len(claim_ids) and english[b - len(claim_ids)]["claim"] == r["claim"]
            for r, b in zip(others, best, strict=True)
        ]
    )
    curve(correct, similarity, "crosslingual: translation → nearest of 10,399 claims")

    print(
        f"\nchosen on train: auto-link {chosen['auto_link']:.2f} (precision ≥ 0.98 and at most "
        f"1% of new claims linked), suggest {chosen['suggest']:.2f} (at most 25% of new claims "
        "get a suggestion)"
    )
    print(
        f"fact-checks on a case page: {lowest_with(factcheck_rows, wrongly=0.10):.2f} (at most "
        "10% of new claims shown an unrelated fact-check)"
    )


if __name__ == "__main__":
    main()
