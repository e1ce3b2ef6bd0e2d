import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from baraza.cases.similarity import index_path, reembed, report_index, stale_reports
from baraza.matching.library import factcheck_matcher


class Command(BaseCommand):
    help = (
        "Re-embed reports whose vector is missing or from another encoder, rebuild the report "
        "index file from the database, and embed the fact-check library. Safe while the "
        "server runs: the database stays the truth and the file is replaced atomically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=64)

    def handle(self, *args: Any, **options: Any) -> None:
        waiting = list(stale_reports().values_list("pk", flat=True))
        with tqdm(total=len(waiting), desc="reports", unit="text", file=sys.stderr) as bar:
            embedded = reembed(waiting, batch=options["batch_size"], progress=bar.update)
        vectors = report_index().rebuild()
        factchecks = len(factcheck_matcher().documents)
        summary = {
            "reports_embedded": embedded,
            "report_index_size": vectors,
            "report_index": str(index_path()),
            "factchecks": factchecks,
        }
        self.stdout.write(json.dumps(summary))
