"""A picture's journey in Chromium at 360 px (a phone), in English and French: a reporter sends
it with the public form and gets a tracking code; the owner's secretariat opens the case and
finds it blurred until they choose to see it, on a page that does not scroll sideways."""

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page

from baraza.cases.models import CaseReport
from baraza.conftest import PASSWORD
from baraza.intake import tracking
from baraza.intake.models import Report
from baraza.media.models import Medium, MediumStatus
from baraza.media.tests import files

RUMOUR = "This photo shows ballot boxes stuffed in Kisumu before voting began"

# The French a reader sees. The first three are new words of this change, each with the
# translation proposed to the .po file; the last two were translated before.
FRENCH = {
    "file_label": "Photos, vidéos ou messages vocaux (facultatif)",
    "media_facts": "La localisation et les informations sur l'appareil sont retirées avant que "
    "les examinateurs voient vos fichiers.",
    "viewing": "Toujours afficher les photos et les vidéos sans flou",
    "media_heading": "1 fichier média envoyé avec le signalement :",
    "show": "Afficher",
}
ENGLISH = {
    "file_label": "Pictures, videos or voice notes (optional)",
    "media_facts": "Location and device details are removed before reviewers see your files.",
    "viewing": "Always show pictures and videos unblurred",
    "media_heading": "1 media file sent with the report:",
    "show": "Show",
}


def _phone(chromium: Browser, live_server: Any, locale: str) -> Page:
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, locale=locale, base_url=live_server.url
    )
    return context.new_page()


def _fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= 360"))


def _filter(page: Page, selector: str) -> str:
    return str(page.locator(selector).evaluate("element => getComputedStyle(element).filter"))


def _report_a_photo(page: Page, photo: Path, words: dict[str, str]) -> str:
    """The reporter's side: the form, a picture, the tracking code."""
    page.goto("/")
    assert page.locator("label[for=media]").inner_text() == words["file_label"]
    assert words["media_facts"] in page.locator("#media-hint").inner_text()
    assert _fits(page)
    page.fill("#text", RUMOUR)
    page.select_option("#platform", "whatsapp")
    page.select_option("#category", "disinformation")
    page.select_option("#country", "KE")
    page.set_input_files("#media", str(photo))
    page.click("main button[type=submit]")
    code = page.locator(".code").inner_text()
    assert _fits(page)
    return code


def _open_case_as_secretariat(page: Page, people: Any, code: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", people.secretariat.member.user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    report = Report.objects.get(tracking_code=tracking.normalise(code))
    assert Medium.objects.get(report=report).status == MediumStatus.READY
    page.goto(f"/cases/{CaseReport.objects.get(report=report).case_id}/")


def _journey(chromium: Browser, live_server: Any, people: Any, tmp_path: Path, locale: str) -> Page:
    words = FRENCH if locale.startswith("fr") else ENGLISH
    photo = files.make_jpeg(tmp_path / "IMG_2041.jpg", (1200, 900), gps_exif=True)
    code = _report_a_photo(_phone(chromium, live_server, locale), photo, words)
    page = _phone(chromium, live_server, locale)
    _open_case_as_secretariat(page, people, code)
    assert words["media_heading"] in page.locator("main").inner_text()
    assert page.get_by_label(words["viewing"]).is_visible()
    assert "blur(" in _filter(page, "img.thumb")
    assert page.locator("img.thumb").evaluate("img => img.complete && img.naturalWidth > 0")
    assert not page.locator("img.derivative").is_visible()
    assert _fits(page)
    page.get_by_text(words["show"], exact=True).click()
    derivative = page.locator("img.derivative")
    assert derivative.is_visible()
    # Waits for the picture to load (wait_for_function would eval in the page, which the
    # pages' Content-Security-Policy refuses).
    assert derivative.evaluate("img => img.decode().then(() => img.naturalWidth > 0)")
    assert _filter(page, "img.derivative") == "none"
    assert not page.locator("img.thumb").is_visible()
    assert _fits(page)
    return page


def test_a_photo_reported_from_a_phone_is_blurred_until_shown_in_english(
    chromium, live_server, people, tmp_path
):
    page = _journey(chromium, live_server, people, tmp_path, "en-GB")
    assert page.get_by_role("button", name="Download the original", exact=False).is_visible()


def test_the_same_journey_speaks_french(chromium, live_server, people, tmp_path):
    page = _journey(chromium, live_server, people, tmp_path, "fr-FR")
    text = page.locator("main").inner_text()
    for english in (ENGLISH["viewing"], ENGLISH["media_heading"], "Text read in the picture"):
        assert english not in text
