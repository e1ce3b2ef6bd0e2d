import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from baraza.matching.encoders import default_encoder
from baraza.matching.engine import Matcher
from baraza.matching.jsonl import BadInput, read_documents


class Command(BaseCommand):
    help = (
        "Match queries against a corpus (both JSONL: id, text, optional title and lang) with the "
        "server's normalisation, encoder and ranking; prints one JSON line per query."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--corpus", required=True, type=Path)
        parser.add_argument("--queries", required=True, type=Path)
        parser.add_argument("--top", type=int, default=10, help="matches per query (default 10)")
        parser.add_argument("--batch-size", type=int, default=64)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["top"] < 1:
            raise CommandError("--top must be at least 1")
        try:
            corpus = read_documents(options["corpus"])
            queries = read_documents(options["queries"])
        except (BadInput, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        batch = options["batch_size"]
        with tqdm(total=len(corpus), desc="corpus", unit="text", file=sys.stderr) as bar:
            matcher = Matcher(corpus, default_encoder(), batch_size=batch, progress=bar.update)
        with tqdm(total=len(queries), desc="queries", unit="text", file=sys.stderr) as bar:
            for start in range(0, len(queries), batch):
                chunk = queries[start : start + batch]
                results = matcher.search([q.passage for q in chunk], top_k=options["top"])
                for query, matches in zip(chunk, results, strict=True):
                    line = {
                        "id": query.id,
                        "matches": [{"id": m.id, "score": m.score} for m in matches],
                    }
                    self.stdout.write(json.dumps(line, ensure_ascii=False))
                bar.update(len(chunk))
