import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baraza.accounts.models import Member, Organisation, Role
from baraza.accounts.permissions import Capability, can
from baraza.errors import ActionError
from baraza.intake.actions import do_import_reports
from baraza.intake.importing import FORMATS, detect_format, read_rows


class Command(BaseCommand):
    help = "Import reports from a CSV or JSONL file for an organisation; prints a JSON summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file name")
        parser.add_argument("--as", dest="email", help="the member importing (default: a monitor)")

    def _member(self, org: str, email: str | None) -> Member:
        if not Organisation.objects.filter(slug=org).exists():
            raise CommandError(f"no organisation has the slug {org!r}")
        members = Member.objects.filter(organisation__slug=org).select_related("user")
        if email:
            member = members.filter(user__email=email.lower()).first()
        else:
            importers = [m for m in members if can(m, Capability.IMPORT_REPORTS)]
            monitors = [m for m in importers if m.role == Role.MONITOR]
            member = next(iter(monitors or importers), None)
        if member is None:
            raise CommandError(
                f"{org} has no such member to import as; create one with create-user"
            )
        return member

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        member = self._member(options["org"], options["email"])
        try:
            rows = read_rows(path.read_bytes(), detect_format(path.name, options["format"]))
            result = do_import_reports(rows, member=member, source=path.name)
        except ActionError as error:
            raise CommandError(str(error)) from None
        summary = {
            "created": result.created,
            "duplicates": result.duplicates,
            "rejected_count": len(result.rejected),
            "rejected": [vars(r) for r in result.rejected],
            "formula_like": result.formula_like,
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
