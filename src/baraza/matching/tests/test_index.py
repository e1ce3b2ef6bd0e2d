import numpy as np
import pytest

from baraza.matching.index import VectorIndex


def unit(rows: int, ndim: int = 32, seed: int = 7) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, ndim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def vectors():
    return unit(500)


def source_of(vectors):
    return lambda: (np.arange(len(vectors)), vectors)


def test_it_finds_each_vectors_own_key_first(tmp_path, vectors):
    # Random 32-dimensional vectors are HNSW's hard case (real embeddings cluster), and a
    # multi-threaded build varies from run to run: measured over all 500, it stays above 0.9.
    index = VectorIndex(tmp_path / "v.usearch", 32, "model-a", source_of(vectors))
    keys, similarities = index.search(vectors, k=5)
    found = keys[:, 0] == np.arange(len(vectors))
    assert found.mean() >= 0.9
    assert np.all(similarities[found, 0] > 0.99)


def test_its_neighbours_agree_with_exact_search(tmp_path, vectors):
    index = VectorIndex(tmp_path / "v.usearch", 32, "model-a", source_of(vectors))
    queries = unit(40, seed=8)
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    approximate, _ = index.search(queries, k=10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approximate, exact, strict=True)])
    assert recall >= 0.95


def test_it_survives_a_restart_without_rebuilding(tmp_path, vectors):
    calls = []

    def source():
        calls.append(1)
        return np.arange(len(vectors)), vectors

    VectorIndex(tmp_path / "v.usearch", 32, "model-a", source)
    reopened = VectorIndex(tmp_path / "v.usearch", 32, "model-a", source)
    assert len(calls) == 1
    assert len(reopened) == 500


def test_a_corrupt_file_is_rebuilt_not_fatal(tmp_path, vectors):
    path = tmp_path / "v.usearch"
    VectorIndex(path, 32, "model-a", source_of(vectors))
    path.write_bytes(b"\x00garbage" * 10)
    rebuilt = VectorIndex(path, 32, "model-a", source_of(vectors))
    assert len(rebuilt) == 500


def test_another_model_never_reuses_the_file(tmp_path, vectors):
    path = tmp_path / "v.usearch"
    VectorIndex(path, 32, "model-a", source_of(vectors))
    other = VectorIndex(path, 32, "model-b", source_of(vectors[:10]))
    assert len(other) == 10


def test_adding_replaces_a_key_and_readers_reload(tmp_path, vectors):
    path = tmp_path / "v.usearch"
    writer = VectorIndex(path, 32, "model-a", source_of(vectors))
    reader = VectorIndex(path, 32, "model-a", source_of(vectors))
    fresh = unit(1, seed=99)
    writer.add(np.array([3]), fresh)
    writer.add(np.array([1000]), unit(1, seed=100))
    writer.save()
    assert reader.reload_if_changed()
    assert len(reader) == 501
    keys, _ = reader.search(fresh, k=1)
    assert keys[0, 0] == 3


def test_an_empty_index_answers_nothing(tmp_path):
    index = VectorIndex(tmp_path / "e.usearch", 8, "m", lambda: (np.array([]), np.zeros((0, 8))))
    keys, similarities = index.search(unit(2, 8), k=3)
    assert keys.shape == (2, 0) and similarities.shape == (2, 0)
