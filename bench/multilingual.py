"""The multilingual development set (bench/data/multilingual, see its README) as queries,
corpus and gold answers, for match_quality.py and clustering_thresholds.py."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SET = HERE / "data" / "multilingual"


@dataclass(frozen=True)
class Query:
    id: str
    lang: str
    factcheck_lang: str
    split: str  # "tune" or "heldout"
    text: str
    gold: str  # the id of the one corpus document that checks this post's claim

    @property
    def pair(self) -> str:
        return f"{self.lang}→{self.factcheck_lang}"


@dataclass(frozen=True)
class Corpus:
    queries: list[Query]
    documents: list[tuple[str, str, str, str]]  # (id, text, title, lang)
    boilerplate: dict[str, str]  # language → a screenshot's worth of unrelated text


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def load(claims: dict[str, dict[str, str]], tweets: dict[str, dict[str, str]]) -> Corpus:
    """`claims` and `tweets` are CLEF 2020 task 2's verified claims and train tweets (the set
    names them by id and holds only what we wrote)."""
    items = {str(row["id"]): row for row in _lines(SET / "items.jsonl")}
    posts = {str(row["id"]): str(row["text"]) for row in _lines(SET / "posts.jsonl")}
    factchecks = _lines(SET / "factchecks.jsonl")
    translated = {str(row["item"]) for row in factchecks if row["role"] == "gold"}
    english_gold = {str(item["clef_claim"]) for key, item in items.items() if key not in translated}
    removed: set[str] = set()
    for key in translated:
        removed.add(str(items[key]["clef_claim"]))
        removed.update(str(copy) for copy in items[key]["near_copies"])  # type: ignore[attr-defined]
    # A near-copy that is another post's English answer stays: every post keeps its answer.
    removed -= english_gold
    documents = [
        (f"clef-{key}", row["vclaim"], row.get("title", ""), "en")
        for key, row in claims.items()
        if key not in removed
    ]
    documents += [(str(row["id"]), str(row["text"]), "", str(row["lang"])) for row in factchecks]
    queries = []
    for key, item in items.items():
        text = (
            posts[key] if item["lang"] != "en" else tweets[str(item["clef_tweet"])]["tweet_content"]
        )
        gold = f"ml-{key}" if key in translated else f"clef-{item['clef_claim']}"
        queries.append(
            Query(
                key,
                str(item["lang"]),
                str(item["factcheck_lang"]),
                str(item["split"]),
                text,
                gold,
            )
        )
    boilerplate = {str(row["lang"]): str(row["text"]) for row in _lines(SET / "boilerplate.jsonl")}
    return Corpus(queries, documents, boilerplate)


def long_post(query: Query, boilerplate: dict[str, str]) -> Query:
    """The post as OCR of a screenshot would give it: a page of unrelated text around it."""
    page = boilerplate[query.lang]
    half = len(page) // 2
    text = f"{page[:half]}\n{query.text}\n{page[half:]}"
    return Query(query.id, query.lang, query.factcheck_lang, query.split, text, query.gold)
