"""Every answer carries a strict Content-Security-Policy and a Permissions-Policy; the few that
need another policy (the admin's scripts, the API's Swagger page, media files) get their own;
and in Chromium at 360 px the pages still render styled with no policy violation."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, ConsoleMessage, Page, Route

from baraza.accountability.tests.test_transparency_report import case_with
from baraza.accounts.models import Organisation
from baraza.conftest import PASSWORD, People
from baraza.intake.models import Report
from baraza.media.models import Medium
from baraza.media.tests import files
from baraza.media.tests.submit import post_with_media

pytestmark = pytest.mark.django_db

SWAGGER_STATIC = Path(__import__("ninja").__file__).parent / "static" / "ninja"


def _policy(response: Any) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {words[0]: words[1:] for words in directives if words}


def test_a_page_allows_no_script_and_only_its_own_nonced_styles(client: Client) -> None:
    response = client.get("/")
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'none'"]
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    (nonce,) = re.findall(r"'nonce-([^']+)'", " ".join(policy["style-src"]))
    html = response.content.decode()
    assert html.count("<style") == html.count(f'<style nonce="{nonce}">') == 1
    assert " style=" not in html  # attributes are not allowed by the policy: none are used
    assert client.get("/")["Content-Security-Policy"] != response["Content-Security-Policy"]


def test_no_template_styles_anything_the_policy_would_refuse() -> None:
    """A new template with a bare <style> or a style attribute would render unstyled in
    browsers; this names it before anyone sees that."""
    templates = Path(__file__).parents[1].glob("**/templates/**/*.html")
    for template in templates:
        html = template.read_text()
        assert " style=" not in html, template
        assert html.count("<style") == html.count('<style nonce="{{ request.csp_nonce }}">'), (
            template
        )


def test_every_kind_of_answer_denies_camera_microphone_and_location(client: Client) -> None:
    for path in ("/", "/api/health", "/no-such-page/", "/api/no-such-operation"):
        response = client.get(path)
        features = response["Permissions-Policy"]
        for denied in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert denied in features, (path, denied)
        assert "default-src 'self'" in response["Content-Security-Policy"], path


def test_the_too_large_page_is_styled_within_the_policy(client: Client, settings: Any) -> None:
    settings.MAX_REQUEST_BYTES = 1024
    response = client.post("/", data=b"x" * 2048, content_type="text/plain")
    assert response.status_code == 413
    (nonce,) = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert " style=" not in response.content.decode()


def test_the_admin_may_run_its_own_scripts_and_nothing_else(client: Client) -> None:
    policy = _policy(client.get("/admin/login/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_api_docs_allow_the_swagger_cdn_and_their_inline_script_by_hash(
    client: Client,
) -> None:
    response = client.get("/api/docs")
    policy = _policy(response)
    (inline,) = re.findall(rb"<script>(.*?)</script>", response.content, re.S)
    digest = base64.b64encode(hashlib.sha256(inline).digest()).decode()
    assert policy["script-src"] == ["https://cdn.jsdelivr.net", f"'sha256-{digest}'"]
    assert policy["default-src"] == ["'none'"] and policy["connect-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_a_media_file_keeps_its_own_sandbox(
    client: Client,
    people: People,
    tmp_path: Path,
    placed: Callable[[], AbstractContextManager[Any]],
) -> None:
    _photo_report(client, people, tmp_path, placed)
    medium = Medium.objects.get()
    response = client.get(f"/api/media/{medium.pk}/derivative", headers=people.amina.auth)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "camera=()" in response["Permissions-Policy"]


def _photo_report(
    client: Client,
    people: People,
    tmp_path: Path,
    placed: Callable[[], AbstractContextManager[Any]],
) -> Report:
    """An amber report by Ukweli's monitor with a photo, placed in a case."""
    photo = files.make_jpeg(tmp_path / "IMG_0001.jpg", (640, 480), gps_exif=True)
    payload = {
        "text": "A leaked photo of tally sheets changed overnight in Mombasa, shared widely.",
        "platform": "facebook",
        "country": "KE",
        "category": "disinformation",
    }
    with placed():
        response = post_with_media(client, [photo], payload, people.amina.auth)
    assert response.status_code == 201, response.content
    return Report.objects.get()


def _phone(chromium: Browser, live_server: Any) -> tuple[Page, list[str]]:
    """A 360 px page, and the policy violations (or unknown features) its console reports."""
    page = chromium.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url
    ).new_page()
    violations: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            violations.append(message.text)

    page.on("console", listen)
    return page, violations


def _styled(page: Page) -> bool:
    """base.html's nonced stylesheet applied: the header is a flex row."""
    return page.locator("header").evaluate("e => getComputedStyle(e).display") == "flex"


def test_the_pages_render_styled_in_a_browser_with_no_policy_violation(
    chromium: Browser,
    live_server: Any,
    client: Client,
    people: People,
    tmp_path: Path,
    placed: Callable[[], AbstractContextManager[Any]],
    settings: Any,
) -> None:
    settings.LOGIN_RATE = "1000/m"  # other tests' attempts on the same account this minute
    report = _photo_report(client, people, tmp_path, placed)
    platform = Organisation.objects.create(slug="metaplat", name="Metaplat", kind="platform")
    case_with(people, platform, reports=6, language="en", hours_to_action=2)
    case_with(people, platform, reports=6, language="ha", hours_to_action=8)
    page, violations = _phone(chromium, live_server)
    page.goto("/")
    assert _styled(page)
    page.goto("/transparency/")
    assert _styled(page)
    assert page.locator("svg.chart").first.evaluate("e => getComputedStyle(e).maxWidth") == "100%"
    page.goto("/login/")
    page.fill("#id_username", people.alice.member.user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"/cases/{report.case_link.case_id}/")  # type: ignore[union-attr]
    assert _styled(page)
    cover = page.locator(".cover").first
    assert cover.evaluate("e => getComputedStyle(e).cursor") == "pointer"  # media/style.html
    assert page.locator("p.pre").first.evaluate("e => getComputedStyle(e).whiteSpace") == (
        "pre-wrap"
    )
    assert violations == []


def test_the_api_docs_run_swagger_ui_within_their_policy(
    chromium: Browser, live_server: Any
) -> None:
    """jsDelivr is out of reach in tests: its Swagger UI files are answered from the copy
    django-ninja ships, so the page runs exactly as it would, under its own policy."""
    page, violations = _phone(chromium, live_server)

    def from_ninja(route: Route) -> None:
        name = route.request.url.rsplit("/", 1)[-1]
        route.fulfill(path=SWAGGER_STATIC / name)

    page.route("https://cdn.jsdelivr.net/**", from_ninja)
    page.route("https://django-ninja.dev/**", lambda route: route.abort())
    page.goto("/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Baraza API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10
    assert violations == []
