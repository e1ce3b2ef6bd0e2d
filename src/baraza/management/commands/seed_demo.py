from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from baraza.accounts.models import Member
from baraza.demo import create_demo_coalition


class Command(BaseCommand):
    help = "Create the demo coalition and print its logins (only into an empty database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing if data exists")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Its logins share a published password: never in a real deployment.
            if options["if_empty"]:
                return
            raise CommandError("the demo coalition is never created when BARAZA_ENV=production")
        if Member.objects.exists():
            if options["if_empty"]:
                return
            self.stderr.write("the database is not empty; the demo goes only into an empty one")
            raise SystemExit(1)
        logins = create_demo_coalition()
        self.stdout.write(self.style.SUCCESS("Demo coalition created. Log in at /login/ with:"))
        self.stdout.write(f"  password for everyone: {settings.DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(
                f"  {login.email:<38} {login.role:<17} {login.organisation:<22} token {login.token}"
            )
