"""`baraza match`, as the design's public interface describes it."""

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from baraza.matching.encoders import CachedEncoder, FakeEncoder

CLAIMS = [
    {
        "id": "c-sms",
        "text": "You can vote by SMS: send your ID number to 40404.",
        "title": "No, Kenyans cannot vote by text message",
    },
    {"id": "c-hours", "text": "Polling stations in Kisumu will close at 2pm on voting day."},
    {"id": "c-moon", "text": "The moon landing in 1969 was filmed in a studio."},
    {"id": "c-ink", "text": "The ink used on voters' fingers can be washed off with vinegar."},
]
QUERIES = [
    {
        "id": "q-sw",
        "text": "Unaweza kupiga kura kwa SMS, tuma namba ya kitambulisho kwa 40404",
        "lang": "sw",
    },
    {
        "id": "q-fr",
        "text": "Les bureaux de vote de Kisumu fermeront à 14h le jour du scrutin",
        "lang": "fr",
    },
    {"id": "q-en", "text": "vinegar removes the election ink from your finger!!"},
]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n")
    return path


def run(tmp_path: Path, *extra: str, corpus=CLAIMS, queries=QUERIES) -> list[dict]:
    out = StringIO()
    call_command(
        "match",
        "--corpus",
        str(write(tmp_path / "corpus.jsonl", corpus)),
        "--queries",
        str(write(tmp_path / "queries.jsonl", queries)),
        *extra,
        stdout=out,
        stderr=StringIO(),
    )
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.django_db
def test_it_prints_one_line_per_query_in_order_with_matches_best_first(tmp_path):
    results = run(tmp_path, "--top", "2")
    assert [r["id"] for r in results] == ["q-sw", "q-fr", "q-en"]
    for result in results:
        assert len(result["matches"]) == 2
        assert set(result["matches"][0]) == {"id", "score"}
        scores = [m["score"] for m in result["matches"]]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.django_db
def test_it_finds_the_claim_across_languages(tmp_path):
    best = {r["id"]: r["matches"][0]["id"] for r in run(tmp_path)}
    assert best == {"q-sw": "c-sms", "q-fr": "c-hours", "q-en": "c-ink"}


@pytest.mark.django_db
def test_top_defaults_to_ten_and_never_exceeds_the_corpus(tmp_path):
    assert all(len(r["matches"]) == len(CLAIMS) for r in run(tmp_path))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "each line must be a JSON object"),
        ('{"text": "no id"}', "id must be a non-empty string"),
        ('{"id": "x", "text": 5}', "text must be a string"),
        ('{"id": "x", "text": "t", "colour": "red"}', "unknown fields colour"),
    ],
)
def test_a_bad_line_is_named_with_its_file_and_number(tmp_path, line, message):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps(CLAIMS[0]) + "\n" + line + "\n")
    queries = write(tmp_path / "queries.jsonl", QUERIES)
    with pytest.raises(CommandError, match=f"corpus.jsonl:2: {message}"):
        call_command("match", "--corpus", str(corpus), "--queries", str(queries))


@pytest.mark.django_db
def test_a_repeated_id_is_refused(tmp_path):
    with pytest.raises(CommandError, match="appears twice"):
        run(tmp_path, corpus=[CLAIMS[0], CLAIMS[0]])


@pytest.mark.django_db
def test_empty_and_odd_texts_still_get_an_answer(tmp_path):
    odd = [
        {"id": "empty", "text": ""},
        {"id": "emoji", "text": "🗳️🔥🔥"},
        {"id": "rtl", "text": "الانتخابات مزورة"},
        {"id": "long", "text": "vote " * 20_000},
    ]
    results = run(tmp_path, "--top", "1", queries=odd)
    assert [len(r["matches"]) for r in results] == [1, 1, 1, 1]


def test_the_cache_embeds_each_text_once(tmp_path):
    encoder = FakeEncoder()
    cached = CachedEncoder(encoder, tmp_path / "cache.sqlite3")
    first = cached.encode_passages(["one claim", "another claim"])
    second = CachedEncoder(encoder, tmp_path / "cache.sqlite3").encode_passages(
        ["another claim", "one claim", "a third"]
    )
    assert encoder.calls == [("passage", 2), ("passage", 1)]
    np.testing.assert_array_equal(second[1], first[0])
    assert np.allclose(np.linalg.norm(second, axis=1), 1.0, atol=1e-3)


def test_queries_and_passages_are_cached_apart(tmp_path):
    encoder = FakeEncoder()
    cached = CachedEncoder(encoder, tmp_path / "cache.sqlite3")
    cached.encode_passages(["one claim"])
    cached.encode_queries(["one claim"])
    cached.encode_queries(["one claim"])
    assert encoder.calls == [("passage", 1), ("query", 1)]
