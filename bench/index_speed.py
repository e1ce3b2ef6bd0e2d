"""The nearest-neighbour index against exact numpy search, at 100k (and 1M) synthetic vectors.

Vectors: 384 dimensions like multilingual-e5-small, drawn as a mixture of 2,000 clusters with
noise of norm about 0.5, L2-normalised, so neighbours have cosines of 0.7-0.9 as e5's do (text
embeddings are clustered; uniform random vectors are a worst case no real corpus looks like).
Queries come from the same mixture. For each size it prints the index build time, then query
latency p50/p99 one query at a time for exact search (a matrix-vector product and a partial sort)
and for the usearch HNSW index of baraza.matching.index, the speed-up, and the index's recall@10
against the exact answer. Targets: 20 times faster at recall@10 of 0.95 or more.

Run: `uv run python bench/index_speed.py [--sizes 100000 1000000] [--queries 500]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from baraza.matching.index import VectorIndex

DIM = 384


def mixture(rows: int, centres: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    picks = rng.integers(0, len(centres), size=rows)
    noise = rng.normal(scale=0.5 / np.sqrt(DIM), size=(rows, DIM)).astype(np.float32)
    vectors = centres[picks] + noise
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def percentile_ms(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q) * 1000)


def run(size: int, queries: int, rng: np.random.Generator) -> None:
    centres = rng.normal(size=(2000, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = np.empty((size, DIM), dtype=np.float32)
    for start in range(0, size, 100_000):
        stop = min(start + 100_000, size)
        vectors[start:stop] = mixture(stop - start, centres, rng)
    probe = mixture(queries, centres, rng)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        index = VectorIndex(
            Path(folder) / "bench.usearch", DIM, "bench", lambda: (np.arange(size), vectors)
        )
        build_s = time.perf_counter() - started
        exact_times, ann_times, recalls = [], [], []
        for query in probe:
            started = time.perf_counter()
            scores = vectors @ query
            top = np.argpartition(-scores, 10)[:10]
            exact = top[np.argsort(-scores[top])]
            exact_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            keys, _ = index.search(query[None, :], k=10)
            ann_times.append(time.perf_counter() - started)
            recalls.append(len(set(keys[0].tolist()) & set(exact.tolist())) / 10)
    speedup = np.median(exact_times) / np.median(ann_times)
    print(
        f"{size:>9,}  build {build_s:6.1f} s   exact p50 {percentile_ms(exact_times, 50):7.2f} ms"
        f" p99 {percentile_ms(exact_times, 99):7.2f} ms   index p50 "
        f"{percentile_ms(ann_times, 50):6.3f} ms p99 {percentile_ms(ann_times, 99):6.3f} ms"
        f"   {speedup:5.0f}x   recall@10 {np.mean(recalls):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    print(f"{DIM} dimensions, {args.queries} queries one at a time (targets: >= 20x, >= 0.95)")
    for size in args.sizes:
        run(size, args.queries, rng)


if __name__ == "__main__":
    main()
