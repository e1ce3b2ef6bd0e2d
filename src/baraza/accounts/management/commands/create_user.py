import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from baraza.accounts.actions import AccountError, do_create_member
from baraza.accounts.models import Organisation, Role


class Command(BaseCommand):
    help = "Create a member (and their organisation if needed); prints JSON with their API token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="organisation slug")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", required=True)
        parser.add_argument("--org-name", help="name of the organisation, if it is created")
        parser.add_argument(
            "--org-kind", choices=Organisation.Kind.values, default=Organisation.Kind.CIVIL_SOCIETY
        )
        parser.add_argument("--password", help="for web log-in; without it, API only")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = do_create_member(
                org_slug=options["org"],
                role=options["role"],
                email=options["email"],
                org_name=options["org_name"],
                org_kind=options["org_kind"],
                password=options["password"],
            )
        except AccountError as error:
            raise CommandError(str(error)) from None
        member = created.member
        self.stdout.write(
            json.dumps(
                {
                    "email": member.user.email,
                    "organisation": member.organisation.slug,
                    "organisation_created": created.organisation_created,
                    "role": member.role,
                    "token": created.token,
                }
            )
        )
