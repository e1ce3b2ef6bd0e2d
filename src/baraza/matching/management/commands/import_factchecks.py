import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baraza.accounts.models import Organisation
from baraza.matching.actions import do_import_factchecks
from baraza.matching.claimreview import Record, read_file

SUFFIXES = (".json", ".jsonld", ".jsonl", ".ndjson", ".csv")


class Command(BaseCommand):
    help = "Import fact-checks (ClaimReview JSON-LD, JSONL or CSV; a file or a directory)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--org", help="the importing organisation's slug (for the audit log)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            files = [path]
        else:
            raise CommandError(f"{path} is neither a file nor a directory")
        organisation = None
        if options["org"]:
            organisation = Organisation.objects.filter(slug=options["org"]).first()
            if organisation is None:
                raise CommandError(f"no organisation has the slug {options['org']!r}")
        records: list[Record] = []
        for file in files:
            records.extend(read_file(str(file), file.read_bytes()))
        result = do_import_factchecks(
            records, organisation=organisation, actor=None, source=str(path)
        )
        summary = {
            "files": len(files),
            "created": result.created,
            "duplicates": result.duplicates,
            "rejected_count": len(result.rejected),
            "rejected": [vars(r) for r in result.rejected],
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
