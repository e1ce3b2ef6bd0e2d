"""A persistent index of PDQ hashes (256 bits) that finds every hash within a Hamming distance.

PDQ matching is a radius question: HMA calls two pictures the same at distance <= 31, and a
missed match is a viral picture that does not join its case. So this index is exact, never
approximate: below `EXACT_BELOW` hashes it compares the query with every hash (numpy popcount
over four 64-bit words per hash), and above it uses multi-index hashing (Norouzi et al.), the
method of Meta's own PDQ index (ThreatExchange's MIH256) and of HMA's matcher (FAISS
IndexBinaryMultiHash): the 256 bits are cut into 16 slots of 16 bits; a hash within distance d
of the query agrees with it to within d // 16 bits in at least one slot (otherwise every slot
would differ by more and the total would exceed d), so probing each slot's sorted values for
the query's slot and its neighbours within d // 16 bits finds every candidate, and the exact
distance of each candidate decides. At d = 31 that is 17 probes per slot; over 47 probing costs
more than scanning, so larger radii scan.

usearch's binary HNSW index (`metric="hamming", dtype="b1"`) was measured and rejected
(bench/media_index.py, 2 cores, near-duplicate clusters among unrelated hashes, k=50): at 1M
hashes it took 300 s to build on idle cores (1,359 s on busy ones), against 1.2 s here, and it
needed expansion_search=512 to find 0.996 of the hashes within 31 bits, at 2.9 ms a query;
scanning takes 12 ms and this index finds all of them in 0.47 ms (p99 0.74 ms). At 100k both
find everything, HNSW in 0.34 ms, this index in 0.09 ms. Random 256-bit codes give a graph
search little to follow until it is already next to the answer.

Several keys may share a hash (the same picture in many reports): each key is its own row, so
all are found; results are (key, distance), nearest first, ties by key.

Derived state, like baraza.matching.index.VectorIndex: the database holds the truth, so a
missing or unreadable file is rebuilt from `source`, never fatal. The file (numpy .npz, keys and
packed hashes; the slot tables are re-sorted on load, a fraction of a second at 1M) is written
under a name of its own and renamed over the old one, so readers in other processes never see
half a file; they reload when it changes.

Keys added since the slot tables were sorted are scanned until there are enough of them to sort
again; removed keys leave rows that are skipped, and compacted away once they are many.
"""

from __future__ import annotations

import logging
import os
import pickle
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

Source = Callable[[], tuple[np.ndarray, np.ndarray]]  # (int64 keys, (n, 32) uint8 packed)
Source1 = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # the same, for given keys

PDQ_BYTES = 32
PDQ_HEX_DIGITS = 64
SLOTS = 16  # of 16 bits each, as Meta's MIH256 for PDQ
SLOT_BITS = 16
# Both ways are exact; this is only about speed. bench/media_index.py, p50 per query on 2 cores:
# scan 0.030 / 0.057 / 0.102 / 0.182 ms at 2k / 5k / 10k / 20k hashes, slot lookup 0.047 /
# 0.049 / 0.051 / 0.052 ms. Below 5,000 a scan is as fast and needs no slot tables.
EXACT_BELOW = 5_000
# d // 16 = 2 bits: 137 probes per slot. At 1M random hashes lookups beat the scan 3x at d = 47
# and lose 1.4x at d = 63 (3 bits, 697 probes per slot).
MAX_PROBED_DISTANCE = 47
# Keys added after the last sort are scanned; re-sort when they pass this share of the rows.
UNSORTED_SHARE = 32
UNSORTED_MIN = 4096
FILE_FORMAT = 1
UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, pickle.UnpicklingError)


def pack(pdq_hex: str) -> np.ndarray:
    """A PDQ hash's 64 hex digits as 32 bytes, first digit in the high bits of byte 0 (the
    order of `np.packbits` over PDQ's bits)."""
    try:
        raw = bytes.fromhex(pdq_hex) if len(pdq_hex) == PDQ_HEX_DIGITS else b""
    except ValueError:
        raw = b""
    if len(raw) != PDQ_BYTES:
        raise ValueError(f"a PDQ hash is {PDQ_HEX_DIGITS} hex digits, not {pdq_hex!r}")
    return np.frombuffer(raw, dtype=np.uint8).copy()


def _as_packed(packed: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(packed, dtype=np.uint8)
    if array.ndim == 1:
        array = array.reshape(-1, PDQ_BYTES) if array.size else array.reshape(0, PDQ_BYTES)
    if array.ndim != 2 or array.shape[1] != PDQ_BYTES:
        raise ValueError(f"packed PDQ hashes are (n, {PDQ_BYTES}) bytes, not {array.shape}")
    return array


def _words(packed: np.ndarray) -> np.ndarray:
    """(n, 4) uint64 views of (n, 32) packed hashes: popcount on 64-bit words is 3x faster."""
    return packed.view(np.uint64)


def _distances(query_words: np.ndarray, words: np.ndarray) -> np.ndarray:
    counts = np.bitwise_count(words ^ query_words)
    # Summing columns beats .sum(axis=1) by 2x here; the first cast keeps 4 x 64 from wrapping.
    return counts[:, 0].astype(np.int32) + counts[:, 1] + counts[:, 2] + counts[:, 3]


def hamming_exact(queries: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """Hamming distances between packed hashes: (q, 32) x (n, 32) -> (q, n) int32."""
    query_words = _words(_as_packed(queries))
    words = _words(_as_packed(hashes))
    out = np.empty((len(query_words), len(words)), dtype=np.int32)
    for row, query in enumerate(query_words):
        out[row] = _distances(query, words)
    return out


def _probe_masks(max_bits: int) -> np.ndarray:
    values = np.arange(1 << SLOT_BITS, dtype=np.uint16)
    return values[np.bitwise_count(values) <= max_bits]


PROBES = [_probe_masks(bits) for bits in range(MAX_PROBED_DISTANCE // SLOT_BITS + 1)]
VALUES = 1 << SLOT_BITS
SLOT_OFFSETS = np.arange(SLOTS, dtype=np.intp)[:, None] * (VALUES + 1)  # into starts, flattened


@dataclass(frozen=True)
class _SlotTables:
    """For each slot, the row numbers ordered by that slot's value, and where each of the
    65,536 values begins in that order: looking a value up is two array reads."""

    rows: int  # rows [0, rows) are in the tables; later ones are scanned
    order: np.ndarray  # (SLOTS * rows,) int32: slot s's rows at [s * rows, (s + 1) * rows)
    starts: np.ndarray  # (SLOTS, VALUES + 1) int64: value v's rows are order[starts[s, v]:...]

    @classmethod
    def of(cls, packed: np.ndarray) -> _SlotTables:
        slots = packed.view(np.uint16)  # (rows, SLOTS)
        rows = len(slots)
        order = np.argsort(slots, axis=0, kind="stable").astype(np.int32)  # a radix sort
        starts = np.zeros((SLOTS, VALUES + 1), dtype=np.int64)
        for slot in range(SLOTS):
            np.cumsum(np.bincount(slots[:, slot], minlength=VALUES), out=starts[slot, 1:])
        starts += np.arange(SLOTS, dtype=np.int64)[:, None] * rows
        return cls(rows, np.ascontiguousarray(order.T).reshape(-1), starts)

    def candidates(self, query: np.ndarray, max_distance: int) -> np.ndarray:
        """Rows that may be within max_distance of the query (with repeats)."""
        probes = query.view(np.uint16)[:, None] ^ PROBES[max_distance // SLOT_BITS][None, :]
        at = (probes.astype(np.intp) + SLOT_OFFSETS).reshape(-1)
        starts = self.starts.reshape(-1)
        return _spans(self.order, starts[at], starts[at + 1])


def _spans(order: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """order[low[0]:high[0]] + order[low[1]:high[1]] + ... without a Python loop."""
    lengths = high - low
    hit = lengths > 0
    low, lengths = low[hit], lengths[hit]
    if not len(lengths):
        return np.empty(0, dtype=order.dtype)
    starts = np.cumsum(lengths) - lengths
    return order[np.repeat(low - starts, lengths) + np.arange(int(lengths.sum()))]


class HashIndex:
    def __init__(self, path: Path, source: Source, *, exact_below: int = EXACT_BELOW) -> None:
        self.path = path
        self.exact_below = exact_below
        self._source = source
        self._lock = threading.RLock()
        self._loaded_stamp: tuple[int, int, int] | None = None
        self._set_rows(np.empty(0, dtype=np.int64), np.empty((0, PDQ_BYTES), dtype=np.uint8))
        self._open()

    # --- the rows -------------------------------------------------------------------------

    def _set_rows(self, keys: np.ndarray, packed: np.ndarray) -> None:
        """Hold exactly these (unique) keys, one row each."""
        self._keys = np.array(keys, dtype=np.int64)
        self._hashes = np.array(packed, dtype=np.uint8).reshape(-1, PDQ_BYTES)
        self._alive = np.ones(len(self._keys), dtype=bool)
        self._used = len(self._keys)
        self._row_of: dict[int, int] = dict(
            zip(self._keys.tolist(), range(self._used), strict=True)
        )
        self._tables: _SlotTables | None = None

    def _reserve(self, extra: int) -> None:
        capacity = len(self._keys)
        if self._used + extra <= capacity:
            return
        capacity = max(self._used + extra, 2 * capacity, 1024)
        keys = np.zeros(capacity, dtype=np.int64)
        hashes = np.zeros((capacity, PDQ_BYTES), dtype=np.uint8)
        alive = np.zeros(capacity, dtype=bool)
        keys[: self._used] = self._keys[: self._used]
        hashes[: self._used] = self._hashes[: self._used]
        alive[: self._used] = self._alive[: self._used]
        self._keys, self._hashes, self._alive = keys, hashes, alive

    def _drop(self, keys: np.ndarray) -> None:
        for key in keys.tolist():
            row = self._row_of.pop(key, None)
            if row is not None:
                self._alive[row] = False

    def _live(self) -> tuple[np.ndarray, np.ndarray]:
        alive = self._alive[: self._used]
        return self._keys[: self._used][alive], self._hashes[: self._used][alive]

    def _compact_if_worth_it(self) -> None:
        dead = self._used - len(self._row_of)
        if dead > max(UNSORTED_MIN, len(self._row_of) // 4):
            self._set_rows(*self._live())

    # --- changes --------------------------------------------------------------------------

    def rebuild(self) -> None:
        keys, packed = self._source()
        with self._lock:
            self._set_rows(np.empty(0, dtype=np.int64), np.empty((0, PDQ_BYTES), np.uint8))
            self.add(keys, packed)
            self.save()

    def add(self, keys: np.ndarray | Sequence[int], packed: np.ndarray) -> None:
        """Hold these keys' hashes; a key held already takes its new hash."""
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        packed = _as_packed(packed)
        if len(keys) != len(packed):
            raise ValueError(f"{len(keys)} keys for {len(packed)} hashes")
        # The last of a key's entries wins, as if they were added one by one.
        last_first = np.unique(keys[::-1], return_index=True)[1]
        chosen = np.sort(len(keys) - 1 - last_first)
        keys, packed = keys[chosen], packed[chosen]
        with self._lock:
            if self._row_of:
                self._drop(keys)
            self._reserve(len(keys))
            start, stop = self._used, self._used + len(keys)
            self._keys[start:stop] = keys
            self._hashes[start:stop] = packed
            self._alive[start:stop] = True
            self._used = stop
            self._row_of.update(zip(keys.tolist(), range(start, stop), strict=True))
            self._compact_if_worth_it()

    def remove(self, keys: np.ndarray | Sequence[int]) -> None:
        """Drop the keys the index holds; others are ignored."""
        with self._lock:
            self._drop(np.asarray(keys, dtype=np.int64).reshape(-1))
            self._compact_if_worth_it()

    def sync(self, keys: np.ndarray, fetch: Source1, chunk: int = 10_000) -> tuple[int, int]:
        """Make the index hold exactly `keys` (after loading a saved file, the source may have
        moved on): drop the others, add the missing ones with what `fetch` finds of them.
        A key held already keeps its hash (add() replaces one). Returns (added, removed)."""
        keys = np.unique(np.asarray(keys, dtype=np.int64))
        with self._lock:
            held = np.fromiter(self._row_of, dtype=np.int64, count=len(self._row_of))
        gone = np.setdiff1d(held, keys)
        self.remove(gone)
        missing = np.setdiff1d(keys, held)
        added = 0
        for start in range(0, len(missing), chunk):
            found, packed = fetch(missing[start : start + chunk])
            self.add(found, packed)
            added += len(found)
        return added, len(gone)

    def __len__(self) -> int:
        return len(self._row_of)

    # --- search ---------------------------------------------------------------------------

    def search(
        self, pdq_hex_list: Sequence[str], k: int, max_distance: int
    ) -> list[list[tuple[int, int]]]:
        """For each query, up to k (key, distance) with distance <= max_distance, nearest
        first (ties by key). Exact: every key within max_distance is a candidate."""
        queries = [pack(pdq_hex) for pdq_hex in pdq_hex_list]
        if k <= 0 or max_distance < 0:
            return [[] for _ in queries]
        with self._lock:
            return [self._search_one(query, k, max_distance) for query in queries]

    def _search_one(self, query: np.ndarray, k: int, max_distance: int) -> list[tuple[int, int]]:
        rows, distances = self._within(query, max_distance)
        if len(rows) > k:  # keep the k nearest and everything tied with the k-th
            kth = np.partition(distances, k - 1)[k - 1]
            near = distances <= kth
            rows, distances = rows[near], distances[near]
        keys = self._keys[rows]
        order = np.lexsort((keys, distances))[:k]
        return list(zip(keys[order].tolist(), distances[order].tolist(), strict=True))

    def _within(self, query: np.ndarray, max_distance: int) -> tuple[np.ndarray, np.ndarray]:
        """The live rows within max_distance of the query, and their distances."""
        query_words = _words(query.reshape(1, PDQ_BYTES))[0]
        if len(self) < self.exact_below or max_distance > MAX_PROBED_DISTANCE:
            distances = _distances(query_words, _words(self._hashes[: self._used]))
            rows = np.flatnonzero((distances <= max_distance) & self._alive[: self._used])
            return rows, distances[rows]
        tables = self._sorted_tables()
        candidates = np.concatenate(
            [tables.candidates(query, max_distance), np.arange(tables.rows, self._used)]
        )
        distances = _distances(query_words, _words(self._hashes[candidates]))
        keep = (distances <= max_distance) & self._alive[candidates]
        # A row may be found through several slots. (Indexing, not unpacking: mypy 1.19
        # crashes on unpacking np.unique's tuple.)
        unique = np.unique(candidates[keep], return_index=True)
        return unique[0], distances[keep][unique[1]]

    def _sorted_tables(self) -> _SlotTables:
        tables = self._tables
        unsorted = self._used - (tables.rows if tables else 0)
        if tables is None or unsorted > max(UNSORTED_MIN, tables.rows // UNSORTED_SHARE):
            tables = self._tables = _SlotTables.of(self._hashes[: self._used])
        return tables

    # --- the file -------------------------------------------------------------------------

    def _stamp(self) -> tuple[int, int, int]:
        status = self.path.stat()  # the inode changes on every save: a rename, not a rewrite
        return status.st_mtime_ns, status.st_size, status.st_ino

    def _open(self) -> None:
        with self._lock:
            try:
                stamp = self._stamp()
                keys, packed = _read(self.path)
            except UNREADABLE as error:
                if self.path.exists():
                    log.warning("hash index %s is unreadable (%s); rebuilding it", self.path, error)
                self.rebuild()
                return
            self._set_rows(keys, packed)
            self._loaded_stamp = stamp

    def save(self) -> None:
        with self._lock:
            keys, packed = self._live()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # A name of its own: web processes and workers may save the same index at once.
            temporary = self.path.with_name(
                f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
            )
            with temporary.open("wb") as file:
                np.savez(file, format=np.array(FILE_FORMAT), keys=keys, hashes=packed)
            os.replace(temporary, self.path)
            self._loaded_stamp = self._stamp()

    def reload_if_changed(self) -> bool:
        """For readers: pick up what a writer in another process saved."""
        try:
            stamp = self._stamp()
        except OSError:
            return False
        if stamp == self._loaded_stamp:
            return False
        self._open()
        return True


def _read(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with np.load(path, allow_pickle=False) as saved:
        if int(saved["format"]) != FILE_FORMAT:
            raise ValueError(f"format {int(saved['format'])}, not {FILE_FORMAT}")
        keys, packed = saved["keys"], saved["hashes"]
    if keys.dtype != np.int64 or keys.ndim != 1 or packed.dtype != np.uint8:
        raise ValueError("keys or hashes of the wrong type")
    if packed.shape != (len(keys), PDQ_BYTES) or len(np.unique(keys)) != len(keys):
        raise ValueError("keys and hashes disagree")
    return keys, packed
