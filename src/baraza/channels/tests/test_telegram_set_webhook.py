"""`baraza telegram-set-webhook URL` registers the webhook, with its secret, at Telegram."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from baraza.channels.tests.fake_telegram import SECRET


def test_it_registers_the_url_and_the_secret(fake_telegram):
    out = StringIO()
    call_command(
        "telegram_set_webhook", "https://baraza.example.org/channels/telegram/webhook", stdout=out
    )
    assert json.loads(out.getvalue()) == {
        "url": "https://baraza.example.org/channels/telegram/webhook",
        "set": True,
    }
    [request] = fake_telegram.sent_to(r"/setWebhook$")
    sent = request.json() if request.body.startswith(b"{") else request.form()
    assert sent["url"] == "https://baraza.example.org/channels/telegram/webhook"
    assert sent["secret_token"] == SECRET


def test_it_names_the_settings_it_lacks(settings):
    settings.TELEGRAM_BOT_TOKEN = None
    settings.TELEGRAM_WEBHOOK_SECRET = None
    with pytest.raises(
        CommandError, match="BARAZA_TELEGRAM_BOT_TOKEN and BARAZA_TELEGRAM_WEBHOOK_SECRET"
    ):
        call_command("telegram_set_webhook", "https://baraza.example.org/x")


def test_it_reports_telegrams_refusal(fake_telegram):
    fake_telegram.fail_next(
        r"/setWebhook$",
        400,
        {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: bad webhook: HTTPS url must be provided for webhook",
        },
    )
    with pytest.raises(CommandError, match=r"(?i)https url must be provided"):
        call_command("telegram_set_webhook", "http://insecure.example/x")
