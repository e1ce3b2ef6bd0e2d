"""The test double behind BARAZA_ENCODER=fake, and the seam that places derived files."""

import numpy as np

from baraza.matching import storage
from baraza.matching.encoders import (
    CachedEncoder,
    FakeEncoder,
    LanguageNeutralEncoder,
    default_encoder,
)

TEXTS = [
    "Polling stations in Kisumu will close at 2pm on voting day.",
    "The ink on voters' fingers washes off with vinegar.",
    "",
    "🗳️🔥",
]


def test_the_fake_gives_the_same_vectors_every_time():
    first = FakeEncoder().encode_queries(TEXTS)
    np.testing.assert_array_equal(first, FakeEncoder().encode_queries(TEXTS))
    np.testing.assert_array_equal(first, FakeEncoder().encode_passages(TEXTS))


def test_the_fake_gives_unit_vectors_of_its_dimensions():
    vectors = FakeEncoder(dimensions=64).encode_passages(TEXTS)
    assert vectors.shape == (4, 64)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    assert FakeEncoder(dimensions=64).model_id != FakeEncoder().model_id
    assert FakeEncoder().encode_queries([]).shape == (0, 256)


def test_the_fake_sees_normalised_words_and_their_overlap():
    same, reworded, shared, unrelated = FakeEncoder().encode_queries(
        [
            "POLLING stations in Kisumu will close at 2pm!",
            "polling stations in kisumu will close at 2pm",
            "Polling stations in Kisumu will close at noon on Tuesday",
            "The moon landing was filmed in a studio",
        ]
    )
    assert float(same @ reworded) > 0.9999
    assert 0.5 < float(same @ shared) < 0.95
    assert float(same @ unrelated) < float(same @ shared)


def test_a_cache_never_serves_one_models_vectors_to_another(tmp_path):
    small, large = FakeEncoder(dimensions=64), FakeEncoder()
    CachedEncoder(small, tmp_path / "cache.sqlite3").encode_queries(["one claim"])
    vectors = CachedEncoder(large, tmp_path / "cache.sqlite3").encode_queries(["one claim"])
    assert vectors.shape == (1, 256)
    assert large.calls == [("query", 1)]


def test_the_configured_fake_keeps_its_cache_with_the_other_derived_files(settings, tmp_path):
    settings.ENCODER = "fake"
    settings.DERIVED_FILES = storage.TemporaryFiles(tmp_path)
    encoder = default_encoder.__wrapped__()  # the uncached factory: the process keeps its own
    assert isinstance(encoder, LanguageNeutralEncoder)
    # The shipped language means are another model's: the fake's vectors pass unchanged.
    assert encoder.model_id == FakeEncoder().model_id
    assert isinstance(encoder._encoder, CachedEncoder)
    assert isinstance(encoder.inner._encoder, FakeEncoder)
    encoder.encode_queries(["one claim"])
    assert settings.DERIVED_FILES.asked == [storage.EMBEDDING_CACHE]
    assert (tmp_path / storage.EMBEDDING_CACHE).exists()


def test_the_report_index_file_is_a_derived_file(settings):
    from baraza.cases import similarity

    assert similarity.index_path() == settings.DERIVED_FILES.path(storage.REPORT_INDEX)
    assert settings.DERIVED_FILES.asked == [storage.REPORT_INDEX, storage.REPORT_INDEX]
