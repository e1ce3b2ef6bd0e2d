"""`baraza smtp-intake --port 2525`: an SMTP server that turns each message a mail relay delivers
into a tipline message, for deployments whose mail server forwards the tipline address here
instead of leaving the mail in a mailbox to poll. Runs in the foreground until interrupted."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from baraza.channels.providers.email import intake_controller


class Command(BaseCommand):
    help = "Receive reports by e-mail: an SMTP server that stores every message it is sent."
    # The project's system checks take seconds and belong to `serve`; a relay retries while
    # this server restarts, so it starts at once.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        controller = intake_controller(options["host"], options["port"])
        stopping = threading.Event()
        # systemd and container runtimes stop a service with SIGTERM: close the server cleanly.
        signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        controller.start()
        limit = settings.EMAIL_INTAKE_MAX_BYTES
        self.stdout.write(
            self.style.SUCCESS(
                f"Receiving e-mail reports by SMTP at {options['host']}:{options['port']} "
                f"(messages up to {limit} bytes)"
            )
        )
        try:
            stopping.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
