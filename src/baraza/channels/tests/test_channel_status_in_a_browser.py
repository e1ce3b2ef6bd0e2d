"""The tiplines page as the secretariat sees it, in Chromium at 360 px (a phone), in English and
French: readable without sideways scrolling, in the reader's language, and the blocklist works."""

from typing import Any

from playwright.sync_api import Browser, Page

from baraza.channels.models import Sender
from baraza.channels.tests.fake_telegram import message_update, post_update
from baraza.channels.tests.journeys import chat_report
from baraza.conftest import PASSWORD

RUMOUR = "Ballot boxes in Eldoret were opened before the count began, people are saying"


def _phone(chromium: Browser, live_server: Any, people: Any, locale: str) -> Page:
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale=locale, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", people.secretariat.member.user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto("/channels/")
    return page


def _fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_the_secretariat_reads_the_page_on_a_phone_in_english(
    chromium, live_server, people, fake_telegram
):
    page = _phone(chromium, live_server, people, "en-GB")
    assert page.locator("h1").inner_text() == "Tiplines"
    assert page.get_by_role("columnheader", name="Connected").is_visible()
    assert _fits(page)


def test_the_page_speaks_french_with_no_english_left(chromium, live_server, people, fake_telegram):
    page = _phone(chromium, live_server, people, "fr-FR")
    assert page.locator("h1").inner_text() == "Lignes de signalement"
    text = page.locator("main").inner_text()
    for english in ("Blocked senders", "Failed replies", "Connected", "Last message", "Block"):
        assert english not in text
    assert _fits(page)


def test_the_secretariat_blocks_a_sender_from_the_phone(
    chromium, live_server, people, fake_telegram, client
):
    assert post_update(client, message_update(RUMOUR, chat_id=1601)).status_code == 200
    code = chat_report("telegram").display_code
    assert code in fake_telegram.texts_to(1601)[0]  # replies go out while a browser runs
    page = _phone(chromium, live_server, people, "en-GB")
    page.get_by_label("Block the sender of the report with this tracking code").fill(code)
    page.get_by_role("button", name="Block", exact=True).click()
    assert page.get_by_text("Sender blocked.").is_visible()
    assert Sender.objects.get().blocked
    assert page.get_by_role("button", name="Unblock").is_visible()
    assert _fits(page)
