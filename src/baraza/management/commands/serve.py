import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web UI and API with a background worker (the embedded default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="web only (workers elsewhere)")
        parser.add_argument("--no-demo", action="store_true", help="do not create the demo")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from baraza.wsgi import application

        # Production refuses to start on an insecure configuration (Django's deploy checks).
        call_command("check", deploy=settings.PRODUCTION, fail_level="ERROR")
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_demo"]:
            call_command("seed_demo", if_empty=True)
        worker = None
        if not options["no_worker"] and not settings.HUEY_IMMEDIATE:
            worker = subprocess.Popen([sys.executable, "-m", "baraza.cli", "run_huey"])
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Baraza is serving at {url} (API: {url}api/docs)"))
        try:
            serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                max_request_body_size=settings.MAX_IMPORT_BYTES,
                ident="baraza",
            )
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=15)
