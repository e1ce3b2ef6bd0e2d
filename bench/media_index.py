"""The PDQ hash index (baraza.media.hash_index) against scanning every hash, at 100k and 1M
synthetic PDQ hashes, and usearch's binary HNSW index for comparison.

Hashes: half are near-duplicates, n/20 pictures each copied with |N(0, 12)| bits flipped (at
most 30, as edited and recompressed copies of one picture are); 5% repeat another hash exactly
(the same picture in many reports); the rest are uniform random (unrelated pictures). Queries,
one at a time: 80% fresh copies of the pictures (0-30 bits flipped), 20% unrelated hashes; each
asks for the k=50 nearest within distance 31 (HMA's PDQ threshold).

For each size it prints the build time (from the source arrays, with the file save), the time to
sort the slot tables (done at the first search) and to reopen the saved file; query latency
p50/p99 of the exact scan (numpy popcount over every hash, the baseline) and of HashIndex, the
speed-up, and HashIndex's recall against the scan of (a) the nearest neighbour, over queries
that have one within 31 (same distance counts: ties are equally right), (b) all neighbours
within 31 (up to k). Then scan against slot lookups at small sizes, which sets EXACT_BELOW.
Then the same recall and latency for usearch's HNSW (`Index(ndim=256, metric="hamming",
dtype="b1")`, one key per hash) at several expansion_search values, at `--hnsw-sizes` (default
100k: at 1M its build alone takes about 5 minutes on 2 cores).

Run: `uv run python bench/media_index.py [--sizes 100000 1000000] [--queries 500]
[--hnsw-sizes 100000]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from usearch.index import Index

from baraza.media.hash_index import HashIndex, hamming_exact

MATCH = 31
K = 50
Searcher = Callable[[np.ndarray], list[tuple[int, int]]]  # packed query -> [(key, distance)]


def flip(packed: np.ndarray, bits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each hash with about bits[i] of its bits flipped (each bit with chance bits[i]/256)."""
    out = np.empty_like(packed)
    for start in range(0, len(packed), 100_000):
        part = slice(start, start + 100_000)
        chance = np.asarray(bits[part], dtype=np.float64)[:, None] / 256
        noise = np.packbits(rng.random((len(packed[part]), 256)) < chance, axis=1)
        out[part] = packed[part] ^ noise
    return out


def corpus(size: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(hashes, the pictures that the near-duplicates are copies of)."""
    pictures = rng.integers(0, 256, size=(max(size // 20, 1), 32), dtype=np.uint8)
    copies = size // 2
    chosen = pictures[rng.integers(0, len(pictures), size=copies)]
    near = flip(chosen, np.minimum(np.abs(rng.normal(0, 12, size=copies)), 30), rng)
    repeats = size // 20
    unrelated = rng.integers(0, 256, size=(size - copies - repeats, 32), dtype=np.uint8)
    hashes = np.concatenate([near, unrelated])
    hashes = np.concatenate([hashes, hashes[rng.integers(0, len(hashes), size=repeats)]])
    return hashes[rng.permutation(size)], pictures


def probes(count: int, pictures: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    near = count * 4 // 5
    chosen = pictures[rng.integers(0, len(pictures), size=near)]
    copies = flip(chosen, rng.integers(0, 31, size=near), rng)
    unrelated = rng.integers(0, 256, size=(count - near, 32), dtype=np.uint8)
    return np.concatenate([copies, unrelated])


def scan(hashes: np.ndarray) -> Searcher:
    def search(query: np.ndarray) -> list[tuple[int, int]]:
        distances = hamming_exact(query[None, :], hashes)[0]
        rows = np.flatnonzero(distances <= MATCH)
        order = np.lexsort((rows, distances[rows]))[:K]
        return list(zip(rows[order].tolist(), distances[rows][order].tolist(), strict=True))

    return search


def ms(samples: list[float], q: float) -> float:
    return float(np.percentile(samples, q) * 1000)


def measure(
    searcher: Searcher, queries: np.ndarray, truth: list[list[tuple[int, int]]]
) -> tuple[list[float], float, float]:
    """(latencies, nearest-neighbour recall, recall of all within MATCH)."""
    times, nearest_hits, nearest_total, found, wanted = [], 0, 0, 0, 0
    for query, expected in zip(queries, truth, strict=True):
        started = time.perf_counter()
        answer = searcher(query)
        times.append(time.perf_counter() - started)
        if expected:
            nearest_total += 1
            nearest_hits += bool(answer) and answer[0][1] == expected[0][1]
        right = {key for key, distance in answer if distance <= MATCH}
        found += len(right & {key for key, _ in expected})
        wanted += len(expected)
    return times, nearest_hits / max(nearest_total, 1), found / max(wanted, 1)


def latency(label: str, times: list[float]) -> str:
    return f"{label} p50 {ms(times, 50):7.3f} ms p99 {ms(times, 99):7.3f} ms"


def run(size: int, count: int, rng: np.random.Generator, hnsw: bool) -> None:
    hashes, pictures = corpus(size, rng)
    queries = probes(count, pictures, rng)
    exact = scan(hashes)
    scan_times, truth = [], []
    for query in queries:
        started = time.perf_counter()
        truth.append(exact(query))
        scan_times.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pdq.index"
        started = time.perf_counter()
        index = HashIndex(path, lambda: (np.arange(size), hashes))
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        index.search(["0" * 64], 1, MATCH)
        sort_s = time.perf_counter() - started
        started = time.perf_counter()
        HashIndex(path, lambda: (np.arange(0), hashes[:0]))
        reopen_s = time.perf_counter() - started
        times, nearest, within = measure(
            lambda q: index.search([q.tobytes().hex()], K, MATCH)[0], queries, truth
        )
    matched = sum(bool(t) for t in truth)
    print(
        f"{size:>9,}  build {build_s:5.1f} s, sort {sort_s:4.2f} s, reopen {reopen_s:4.2f} s;"
        f" {matched}/{count} queries have a match, {np.mean([len(t) for t in truth]):.1f} each"
    )
    print(f"  exact scan  {latency('', scan_times)}")
    print(
        f"  HashIndex   {latency('', times)}  {np.median(scan_times) / np.median(times):5.1f}x"
        f"   recall: nearest {nearest:.3f}, all within {MATCH} {within:.3f}"
    )
    if hnsw:
        compare_hnsw(hashes, queries, truth, scan_times)


def compare_hnsw(
    hashes: np.ndarray, queries: np.ndarray, truth: list[list[tuple[int, int]]], base: list[float]
) -> None:
    graph = Index(ndim=256, metric="hamming", dtype="b1")
    started = time.perf_counter()
    graph.add(np.arange(len(hashes)), hashes)
    print(f"  usearch HNSW build {time.perf_counter() - started:6.1f} s")

    def search(query: np.ndarray) -> list[tuple[int, int]]:
        found = graph.search(query, K)
        pairs = zip(found.keys.tolist(), found.distances.astype(int).tolist(), strict=True)
        return [(key, distance) for key, distance in pairs if distance <= MATCH]

    for expansion in (64, 128, 256, 512):
        graph.expansion_search = expansion
        times, nearest, within = measure(search, queries, truth)
        print(
            f"  HNSW ef={expansion:<4}{latency('', times)}"
            f"  {np.median(base) / np.median(times):5.1f}x"
            f"   recall: nearest {nearest:.3f}, all within {MATCH} {within:.3f}"
        )


def crossover(rng: np.random.Generator) -> None:
    """Scan against slot lookups where the index switches from one to the other."""
    print("scan against slot lookups (HashIndex, p50 per query):")
    for size in (2_000, 5_000, 10_000, 20_000, 50_000):
        hashes, pictures = corpus(size, rng)
        queries = [q.tobytes().hex() for q in probes(300, pictures, rng)]
        line = f"{size:>9,}"
        with tempfile.TemporaryDirectory() as folder:
            for label, below in (("scan", 10**9), ("lookup", 0)):
                index = HashIndex(
                    Path(folder) / label,
                    lambda h=hashes, n=size: (np.arange(n), h),
                    exact_below=below,
                )
                index.search(queries[:1], K, MATCH)  # sorts the slot tables
                times = []
                for query in queries:
                    started = time.perf_counter()
                    index.search([query], K, MATCH)
                    times.append(time.perf_counter() - started)
                line += f"   {label} {ms(times, 50):6.3f} ms"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--hnsw-sizes", type=int, nargs="*", default=[100_000])
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    print(f"PDQ hashes, {args.queries} queries one at a time, k={K}, distance <= {MATCH}")
    for size in args.sizes:
        run(size, args.queries, rng, hnsw=size in args.hnsw_sizes)
    crossover(rng)


if __name__ == "__main__":
    main()
