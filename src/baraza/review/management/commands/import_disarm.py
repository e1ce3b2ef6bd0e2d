import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baraza.review.actions import do_import_disarm
from baraza.review.taxonomy import DisarmError


class Command(BaseCommand):
    help = (
        "Load a DISARM framework release from its STIX 2.1 bundle (DISARM.json): new tactics and "
        "techniques are added, known ones renamed; prints a JSON summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = options["path"].read_text(encoding="utf-8")
            result = do_import_disarm(text, actor=None)
        except (OSError, UnicodeDecodeError, DisarmError) as error:
            raise CommandError(f"{options['path']}: {error}") from None
        self.stdout.write(json.dumps(result.__dict__))
