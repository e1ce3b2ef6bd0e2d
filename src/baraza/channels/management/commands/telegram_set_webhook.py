import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from telegram import error as tg_error

from baraza.channels.providers.telegram import set_webhook


class Command(BaseCommand):
    help = (
        "Tell Telegram where this deployment's webhook is (e.g. "
        "https://baraza.example.org/channels/telegram/webhook), with the secret it must send."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="the public https address of /channels/telegram/webhook")

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [
            name
            for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET")
            if not getattr(settings, name)
        ]
        if missing:
            raise CommandError("set " + " and ".join(f"BARAZA_{name}" for name in missing))
        try:
            done = set_webhook(options["url"])
        except tg_error.TelegramError as error:
            raise CommandError(f"Telegram refused: {error}") from error
        self.stdout.write(json.dumps({"url": options["url"], "set": bool(done)}))
