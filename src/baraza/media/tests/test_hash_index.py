"""The PDQ hash index: every hash within the distance is found, in both its ways of searching
(a scan for small indexes, slot lookups for large ones), and it survives restarts and damage."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from baraza.media import hash_index
from baraza.media.hash_index import HashIndex, hamming_exact, pack

REFERENCE = Path("/work/shared/data/pdq/expected.json")
SCAN = {"exact_below": 10**9}
LOOKUP = {"exact_below": 0}
MODES = pytest.mark.parametrize("mode", [SCAN, LOOKUP], ids=["scan", "slot lookup"])


def random_hashes(rows: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(rows, 32), dtype=np.uint8)


def flipped(packed: np.ndarray, bits: int, seed: int = 2) -> np.ndarray:
    """The hash with exactly `bits` of its 256 bits flipped."""
    where = np.random.default_rng(seed).choice(256, size=bits, replace=False)
    unpacked = np.unpackbits(packed)
    unpacked[where] ^= 1
    return np.packbits(unpacked)


def hex_of(packed: np.ndarray) -> str:
    return packed.tobytes().hex()


def source_of(keys: np.ndarray, packed: np.ndarray):
    return lambda: (np.asarray(keys, dtype=np.int64), packed)


@pytest.fixture
def hashes() -> np.ndarray:
    return random_hashes(2000)


def index_of(tmp_path: Path, packed: np.ndarray, keys=None, **mode) -> HashIndex:
    keys = np.arange(len(packed)) if keys is None else keys
    return HashIndex(tmp_path / "pdq.index", source_of(keys, packed), **mode)


@MODES
@pytest.mark.parametrize("bits", [0, 10, 31])
def test_it_finds_a_hash_up_to_31_bits_away(tmp_path, hashes, mode, bits):
    index = index_of(tmp_path, hashes, **mode)
    query = hex_of(flipped(hashes[1234], bits))
    assert index.search([query], k=5, max_distance=31) == [[(1234, bits)]]


@MODES
@pytest.mark.parametrize("bits", [32, 40])
def test_it_does_not_find_a_hash_32_bits_or_more_away(tmp_path, hashes, mode, bits):
    index = index_of(tmp_path, hashes, **mode)
    query = hex_of(flipped(hashes[1234], bits))
    assert index.search([query], k=5, max_distance=31) == [[]]


@MODES
@pytest.mark.parametrize("max_distance", [0, 15, 31, 47, 70])
def test_it_answers_as_comparing_with_every_hash_would(tmp_path, mode, max_distance):
    # Near-duplicate clusters among unrelated hashes, as pictures forwarded and edited are.
    rng = np.random.default_rng(5)
    bases = random_hashes(40, seed=6)
    variants = [flipped(bases[i % 40], int(rng.integers(0, 40)), seed=i) for i in range(600)]
    packed = np.concatenate([np.stack(variants), random_hashes(1400, seed=7)])
    index = index_of(tmp_path, packed, **mode)
    queries = np.stack([flipped(bases[i], 12, seed=100 + i) for i in range(20)])
    distances = hamming_exact(queries, packed)
    found = index.search([hex_of(q) for q in queries], k=10_000, max_distance=max_distance)
    for row, answer in enumerate(found):
        within = np.flatnonzero(distances[row] <= max_distance)
        expected = sorted(zip(distances[row, within].tolist(), within.tolist(), strict=True))
        assert [(distance, key) for key, distance in answer] == expected


@MODES
def test_every_key_sharing_a_picture_is_found_nearest_first(tmp_path, hashes, mode):
    picture = hashes[7]
    edited = flipped(picture, 5)
    packed = np.concatenate([hashes, np.stack([picture, picture, edited])])
    keys = np.concatenate([np.arange(2000), [9003, 9001, 9002]])
    index = index_of(tmp_path, packed, keys, **mode)
    found = index.search([hex_of(picture)], k=10, max_distance=31)[0]
    assert found == [(7, 0), (9001, 0), (9003, 0), (9002, 5)]


def test_it_returns_only_the_k_nearest(tmp_path, hashes):
    packed = np.stack([flipped(hashes[0], bits, seed=bits) for bits in (9, 3, 0, 6)])
    index = index_of(tmp_path, packed, np.array([10, 11, 12, 13]))
    assert index.search([hex_of(hashes[0])], k=2, max_distance=31) == [[(12, 0), (11, 3)]]


@MODES
def test_a_removed_key_is_no_longer_found_but_its_twins_are(tmp_path, hashes, mode):
    packed = np.concatenate([hashes, hashes[5:6]])
    index = index_of(tmp_path, packed, np.arange(2001), **mode)
    index.remove([5, 99_999])
    assert index.search([hex_of(hashes[5])], k=5, max_distance=31) == [[(2000, 0)]]
    assert len(index) == 2000


@MODES
def test_adding_a_key_again_replaces_its_hash(tmp_path, hashes, mode):
    index = index_of(tmp_path, hashes, **mode)
    index.add(np.array([3]), random_hashes(1, seed=99))
    assert index.search([hex_of(hashes[3])], k=5, max_distance=31) == [[]]
    assert index.search([hex_of(random_hashes(1, seed=99)[0])], k=5, max_distance=0) == [[(3, 0)]]
    assert len(index) == 2000


def test_keys_added_after_the_slots_were_sorted_are_found_and_sorted_in_later(
    tmp_path, hashes, monkeypatch
):
    monkeypatch.setattr(hash_index, "UNSORTED_MIN", 50)
    index = index_of(tmp_path, hashes[:1000], **LOOKUP)
    index.search([hex_of(hashes[0])], k=1, max_distance=31)  # sorts the slots
    for key in range(1000, 2000, 100):
        index.add(np.arange(key, key + 100), hashes[key : key + 100])
        query = hex_of(flipped(hashes[key + 50], 20))
        assert index.search([query], k=1, max_distance=31) == [[(key + 50, 20)]]


def test_answers_stay_right_when_many_removals_are_compacted_away(tmp_path, hashes, monkeypatch):
    monkeypatch.setattr(hash_index, "UNSORTED_MIN", 50)
    index = index_of(tmp_path, hashes, **LOOKUP)
    index.remove(np.arange(0, 1500))
    assert len(index) == 500
    assert index.search([hex_of(hashes[10])], k=1, max_distance=31) == [[]]
    query = hex_of(flipped(hashes[1600], 30))
    assert index.search([query], k=1, max_distance=31) == [[(1600, 30)]]


def test_it_survives_a_restart_without_asking_the_source(tmp_path, hashes):
    calls = []

    def source():
        calls.append(1)
        return np.arange(2000), hashes

    first = HashIndex(tmp_path / "pdq.index", source)
    first.add(np.array([5000]), random_hashes(1, seed=42))
    first.save()
    reopened = HashIndex(tmp_path / "pdq.index", source)
    assert len(calls) == 1
    assert len(reopened) == 2001
    found = reopened.search([hex_of(random_hashes(1, seed=42)[0])], k=1, max_distance=0)
    assert found == [[(5000, 0)]]


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_file_is_rebuilt_from_the_source(tmp_path, hashes, damage):
    path = tmp_path / "pdq.index"
    HashIndex(path, source_of(np.arange(2000), hashes))
    saved = path.read_bytes()
    path.write_bytes(b"\x00garbage" * 10 if damage == "garbage" else saved[: len(saved) // 2])
    rebuilt = HashIndex(path, source_of(np.arange(300), hashes[:300]))
    assert len(rebuilt) == 300
    reopened = HashIndex(path, source_of([], hashes[:0]))
    assert reopened.search([hex_of(hashes[299])], k=1, max_distance=0) == [[(299, 0)]]


def test_sync_adds_the_missing_keys_and_drops_the_gone_ones(tmp_path, hashes):
    index = index_of(tmp_path, hashes[:1000])
    asked = []

    def fetch(keys: np.ndarray):
        asked.extend(keys.tolist())
        return keys, hashes[keys]

    wanted = np.arange(500, 1500)
    assert index.sync(wanted, fetch, chunk=128) == (500, 500)
    assert sorted(asked) == list(range(1000, 1500))
    assert len(index) == 1000
    assert index.search([hex_of(hashes[100])], k=1, max_distance=31) == [[]]
    assert index.search([hex_of(hashes[1400])], k=1, max_distance=31) == [[(1400, 0)]]


def test_readers_reload_what_a_writer_saved(tmp_path, hashes):
    writer = index_of(tmp_path, hashes)
    reader = index_of(tmp_path, hashes)
    assert not reader.reload_if_changed()
    writer.add(np.array([7000]), random_hashes(1, seed=77))
    writer.save()
    assert reader.reload_if_changed()
    found = reader.search([hex_of(random_hashes(1, seed=77)[0])], k=1, max_distance=0)
    assert found == [[(7000, 0)]]


def test_an_empty_index_answers_nothing(tmp_path):
    index = HashIndex(tmp_path / "pdq.index", source_of([], np.zeros((0, 32), np.uint8)))
    index.add(np.array([], dtype=np.int64), np.zeros((0, 32), np.uint8))
    assert index.search(["0" * 64, "f" * 64], k=3, max_distance=31) == [[], []]
    assert len(index) == 0


@pytest.mark.parametrize("bad", ["", "abc", "g" * 64, "0" * 62 + " 0", "0" * 65])
def test_it_refuses_what_is_not_64_hex_digits(bad):
    with pytest.raises(ValueError, match="64 hex digits"):
        pack(bad)


def test_pack_puts_the_first_hex_digit_in_the_first_bits():
    assert np.flatnonzero(np.unpackbits(pack("8" + "0" * 62 + "1"))).tolist() == [0, 255]


@pytest.mark.skipif(not REFERENCE.exists(), reason="Meta's PDQ reference images not present")
def test_meta_reference_edits_are_all_found_from_the_original(tmp_path):
    expected = json.loads(REFERENCE.read_text())
    packed = np.stack([pack(entry["pdq"]) for entry in expected])
    index = index_of(tmp_path, packed, **LOOKUP)
    found = index.search([expected[0]["pdq"]], k=50, max_distance=31)[0]
    # Blur, sharpen, contrast, saturation, shrinking and square crops: all within 18 bits.
    assert sorted(key for key, _ in found) == list(range(len(expected)))
    assert max(distance for _, distance in found) <= 18
