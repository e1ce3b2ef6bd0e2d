"""Crosslingual matching: does a claim in Swahili, Hausa, Amharic... find its English original?

Corpus: the 10 English claims of data/crosslingual.jsonl hidden among the 10,389 English claims
of CLEF 2020 task 2 (../shared/data/clef2020-task2) as distractors. Queries: the 70 translations
(French, Portuguese, Swahili, Hausa, Yoruba, Amharic, Arabic). success@1 = the English version of
the same claim ranks first. "Without crosslingual matching" is BM25 alone (words must be shared);
"with" is the engine of `baraza match` (and the plain e5 encoder alone, for reference).

Run: `uv run python bench/crosslingual.py` (part of `make bench`; reuses match_quality.py's
embedding cache, so the CLEF claims are embedded only once).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baraza.settings")
    os.environ.setdefault(
        "BARAZA_DATA_DIR", str(Path(tempfile.gettempdir()) / "baraza-bench-match")
    )
    import django

    django.setup()
    from match_quality import DATA, read_tsv

    from baraza.matching import storage
    from baraza.matching.encoders import CachedEncoder, default_encoder, plain_encoder
    from baraza.matching.engine import Document, Fusion, Matcher

    rows = [json.loads(line) for line in (HERE / "data" / "crosslingual.jsonl").open()]
    english = [r for r in rows if r["lang"] == "en"]
    others = [r for r in rows if r["lang"] != "en"]
    claims = read_tsv(DATA / "verified_claims.docs.tsv")
    corpus = [
        Document(f"clef-{k}", row["vclaim"], row.get("title", "")) for k, row in claims.items()
    ]
    corpus += [Document(r["claim"], r["text"]) for r in english]
    matcher = Matcher(corpus, default_encoder(), batch_size=128)
    plain = CachedEncoder(plain_encoder(), storage.derived_files().path(storage.EMBEDDING_CACHE))
    e5_matcher = Matcher(corpus, plain, batch_size=128)

    print(f"{len(others)} queries in 7 languages; corpus {len(corpus)} English claims")
    print(
        f"{'ranking':<34}"
        + "".join(f"{lang:>6}" for lang in sorted({r["lang"] for r in others}))
        + f"{'all':>7}"
    )
    for name, used, fusion in (
        ("BM25 alone (no crosslingual)", matcher, Fusion(dense=False)),
        ("e5 alone", e5_matcher, Fusion.encoder_alone()),
        ("ours (baraza match)", matcher, Fusion()),
    ):
        used.fusion = fusion
        results = used.search([r["text"] for r in others], top_k=1)
        hits: dict[str, list[bool]] = defaultdict(list)
        for row, matches in zip(others, results, strict=True):
            hits[row["lang"]].append(bool(matches) and matches[0].id == row["claim"])
        per_lang = "".join(f"{sum(h) / len(h):>6.2f}" for _, h in sorted(hits.items()))
        total = sum(sum(h) for h in hits.values()) / len(others)
        print(f"{name:<34}{per_lang}{total:>7.2f}   (success@1)")


if __name__ == "__main__":
    main()
