"""Step 1 of making the multilingual set: choose CLEF 2020 task 2 *train* items and write the
texts the translators work from (never dev, which the fusion is tuned on; never test).

For every language a fixed number of train tweets, each with its one gold claim, gets a role:
- `mono`  — the post and its fact-check in the language (L → L);
- `en`    — the post in the language, the fact-check the English original (L → en);
- `third` — the post in the language, the fact-check in the partner language (L → M).
Every item also names a *distractor*: the train claim outside every item's gold that BM25 finds
closest to the gold claim. It is translated into the post's language, so a same-language
fact-check that shares words with the post but checks another claim is always present.
Items are split into `tune` and `heldout` by a hash of their tweet id (a third held out).

Run from the repository root: `uv run python bench/data/multilingual/select_items.py OUT_DIR`.
The seed and counts below are the ones used for the committed set.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from pathlib import Path

import bm25s

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from match_quality import DATA, read_qrels, read_tsv

PARTNERS = [("sw", "ha"), ("am", "ar"), ("hi", "ru"), ("fr", "pt"), ("es", "ko"), ("zh", "yo")]
ROLES = ["mono"] * 18 + ["en"] * 20 + ["third"] * 12  # 50 items per language
ENGLISH_ITEMS = 50
SEED = 2026


def split_of(tweet_id: str) -> str:
    digest = hashlib.sha256(f"baraza-ml-{tweet_id}".encode()).digest()
    return "heldout" if digest[0] % 3 == 0 else "tune"


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    claims = read_tsv(DATA / "verified_claims.docs.tsv")
    tweets = read_tsv(DATA / "train" / "tweets.queries.tsv")
    qrels = read_qrels(DATA / "train" / "tweet-vclaim-pairs.qrels")
    # One tweet per claim, so every claim has exactly one version in the corpus.
    by_claim: dict[str, str] = {}
    for tweet_id, gold in sorted(qrels.items(), key=lambda kv: int(kv[0])):
        if len(gold) == 1 and tweet_id in tweets:
            by_claim.setdefault(next(iter(gold)), tweet_id)
    pairs = sorted(by_claim.items(), key=lambda kv: int(kv[1]))
    random.Random(SEED).shuffle(pairs)
    languages = [lang for pair in PARTNERS for lang in pair]
    needed = len(languages) * len(ROLES) + ENGLISH_ITEMS
    if len(pairs) < needed:
        raise SystemExit(f"only {len(pairs)} usable train pairs, {needed} needed")
    gold_claims = {claim for claim, _ in pairs}
    ids = list(claims)
    index = bm25s.BM25()
    index.index(bm25s.tokenize([claims[i]["vclaim"] for i in ids], show_progress=False))

    def words(claim_id: str) -> set[str]:
        return set(re.findall(r"\w+", claims[claim_id]["vclaim"].lower()))

    def neighbours(claim_id: str) -> tuple[str, list[str]]:
        """(the distractor, the corpus's near-copies of the claim). CLEF holds some claims
        twice in other words; a near-copy (word Jaccard ≥ 0.5) is the same claim, so it is
        neither a distractor nor left in the corpus beside a translated gold claim."""
        query = bm25s.tokenize([claims[claim_id]["vclaim"]], show_progress=False)
        found, _ = index.retrieve(query, k=30, show_progress=False)
        mine = words(claim_id)
        copies, chosen = [], ""
        for position in found[0]:
            other = ids[int(position)]
            if other == claim_id:
                continue
            theirs = words(other)
            if len(mine & theirs) / max(1, len(mine | theirs)) >= 0.5:
                copies.append(other)
            elif not chosen and other not in gold_claims:
                chosen = other
        if not chosen:
            raise SystemExit(f"no distractor for {claim_id}")
        return chosen, copies

    partner = {a: b for a, b in PARTNERS} | {b: a for a, b in PARTNERS}
    items = []
    cursor = 0
    for lang in languages:
        for n, role in enumerate(ROLES, start=1):
            claim_id, tweet_id = pairs[cursor]
            cursor += 1
            fact_lang = {"mono": lang, "en": "en", "third": partner[lang]}[role]
            chosen, copies = neighbours(claim_id)
            items.append(
                {
                    "id": f"{lang}-{n:03d}",
                    "lang": lang,
                    "role": role,
                    "factcheck_lang": fact_lang,
                    "split": split_of(tweet_id),
                    "clef_tweet": tweet_id,
                    "clef_claim": claim_id,
                    "distractor_claim": chosen,
                    "near_copies": copies,
                    "tweet": tweets[tweet_id]["tweet_content"],
                    "claim": claims[claim_id]["vclaim"],
                }
            )
    for n in range(1, ENGLISH_ITEMS + 1):
        claim_id, tweet_id = pairs[cursor]
        cursor += 1
        items.append(
            {
                "id": f"en-{n:03d}",
                "lang": "en",
                "role": "mono",
                "factcheck_lang": "en",
                "split": split_of(tweet_id),
                "clef_tweet": tweet_id,
                "clef_claim": claim_id,
                "distractor_claim": "",
                "near_copies": [],
            }
        )
    for item in items:
        if item["distractor_claim"]:
            item["distractor"] = claims[item["distractor_claim"]]["vclaim"]
    with (out / "items.jsonl").open("w") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    for a, b in PARTNERS:
        with (out / f"to-translate-{a}-{b}.jsonl").open("w") as handle:
            for item in items:
                if item["lang"] in (a, b):
                    handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(items)} items written to {out}")


if __name__ == "__main__":
    main()
