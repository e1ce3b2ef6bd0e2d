"""Step 2 of making the multilingual set: gather the translators' files into the set.

Reads, from the work folder, the items (step 1's `items.jsonl`, with the English texts the
translators worked from), each pair's `tr-LA-LB.jsonl` and the pages of unrelated text
`bp-*.jsonl` (one per pair, and `bp-en.jsonl` written in English by us); writes `posts.jsonl`,
`factchecks.jsonl`, `boilerplate.jsonl` and `items.jsonl` again without any CLEF text (the set
names CLEF tweets and claims by id; benchmarks read their English text from ../shared).

Run from the repository root: `uv run python bench/data/multilingual/assemble.py WORK_DIR`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLEF_TEXT = ("tweet", "claim", "distractor")


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    work = Path(sys.argv[1])
    items = lines(work / "items.jsonl")
    translated: dict[str, dict[str, object]] = {}
    for path in sorted(work.glob("tr-*.jsonl")):
        for row in lines(path):
            translated[str(row["id"])] = row
    boilerplate = [row for path in sorted(work.glob("bp-*.jsonl")) for row in lines(path)]
    posts, factchecks = [], []
    for item in items:
        key = str(item["id"])
        if item["lang"] == "en":
            continue
        row = translated[key]
        posts.append({"id": key, "lang": item["lang"], "text": row["post"]})
        if item["role"] in ("mono", "third"):
            factchecks.append(
                {
                    "id": f"ml-{key}",
                    "item": key,
                    "role": "gold",
                    "lang": item["factcheck_lang"],
                    "checks": item["clef_claim"],
                    "text": row["factcheck"],
                }
            )
        factchecks.append(
            {
                "id": f"mld-{key}",
                "item": key,
                "role": "distractor",
                "lang": item["lang"],
                "checks": item["distractor_claim"],
                "text": row["distractor"],
            }
        )
    write(HERE / "posts.jsonl", posts)
    write(HERE / "factchecks.jsonl", factchecks)
    write(HERE / "boilerplate.jsonl", boilerplate)
    write(HERE / "items.jsonl", [{k: v for k, v in i.items() if k not in CLEF_TEXT} for i in items])
    print(f"{len(posts)} posts, {len(factchecks)} fact-checks, {len(boilerplate)} pages")


if __name__ == "__main__":
    main()
