"""The transparency report says how reports came in: by the web form, Telegram, SMS..., with
small channels suppressed like small cells."""

from baraza.channels.tests.fake_telegram import send

TEXTS = [
    "Ballot papers were found dumped behind the tallying centre in Kisumu this morning",
    "Ballot papers found dumped behind the Kisumu tallying centre, people are saying",
]


def _channels(client):
    return {
        row["channel"]: row["reports"] for row in client.get("/api/transparency").json()["channels"]
    }


def test_chat_reports_are_counted_by_their_channel(
    fake_telegram, client, placed, people, make_report, settings
):
    settings.REPORT_MIN_COUNT = 1
    for n, text in enumerate(TEXTS):
        send(client, placed, text, 1500 + n)
    make_report(None)
    assert _channels(client) == {"telegram": 2, "api": 1}
    page = client.get("/transparency/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Signalements par canal" in page and "<td>Telegram</td>" in page


def test_a_channel_with_fewer_reports_than_the_minimum_is_left_out(
    fake_telegram, client, placed, people, make_report, settings
):
    settings.REPORT_MIN_COUNT = 2
    for n, text in enumerate(TEXTS):
        send(client, placed, text, 1510 + n)
    # The same text joins the chat reports' case, so its cell is published with three reports.
    make_report(None, text=TEXTS[0], platform="telegram", category="other")
    assert _channels(client) == {"telegram": 2}
