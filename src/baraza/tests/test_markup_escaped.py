"""Text that people wrote stays text wherever a page shows it: report texts, assessment
rationales and decision reasons (Markdown, sanitised), referral notes, form values and error
messages, chart labels. The usual payloads come out with no live script, no event-handler
attribute and no `javascript:` link."""

from html.parser import HTMLParser

import pytest

from baraza.accountability.models import Referral
from baraza.accountability.tests.helpers import liaison, refer
from baraza.accountability.tests.test_transparency_report import case_with
from baraza.accounts.models import Organisation
from baraza.conftest import PASSWORD, REPORT
from baraza.intake.models import Report
from baraza.review.markdown import render_markdown
from baraza.review.tests.helpers import assess, assign, case_of
from baraza.review.tests.test_decide_case import decide

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> "
    "[x](javascript:alert(1)) **bold**<b> <a href='javascript:alert(2)'>y</a>"
)
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def assert_inert(html):
    """No script element, no on* attribute, no javascript: link, no <img>/<b> of the payload."""
    tags = Tags()
    tags.feed(html)
    for tag, attributes in tags.tags:
        assert tag not in {"script", "img", "b", "iframe"}, (tag, attributes)
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        for name in ("href", "src", "action", "formaction"):
            value = "".join(attributes.get(name, "").split()).lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attributes)


def log_in(client, person):
    client.logout()
    assert client.login(username=person.member.user.email, password=PASSWORD)


@pytest.fixture
def hostile_case(people, client, make_report):
    """A clear case whose report, rationales and public reasons are all the payloads."""
    report = make_report(None, tlp="clear", text=HOSTILE)
    case = case_of(report)
    for reviewer in (people.alice, people.bob, people.carol):
        assign(client, people.secretariat, case, reviewer)
        assert assess(client, reviewer, case, rationale=HOSTILE).status_code == 201
    assert decide(client, people.secretariat, case, public_reasons=HOSTILE).status_code == 201
    return case


def test_markdown_keeps_formatting_and_drops_everything_live():
    html = render_markdown(HOSTILE)
    assert_inert(html)
    assert "<strong>bold</strong>" in html and ESCAPED_SCRIPT in html
    assert "onerror" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_the_case_page_shows_the_report_text_as_text(people, client, hostile_case):
    log_in(client, people.secretariat)
    html = client.get(f"/cases/{hostile_case.pk}/").content.decode()
    assert_inert(html)
    assert ESCAPED_SCRIPT in html and "**bold**&lt;b&gt;" in html


def test_the_public_decision_page_renders_the_reasons_sanitised(client, hostile_case):
    response = client.get(f"/decisions/{hostile_case.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html)
    assert ESCAPED_SCRIPT in html and "<strong>bold</strong>&lt;b&gt;" in html


def test_the_review_page_shows_rationales_as_text(people, client, hostile_case):
    log_in(client, people.secretariat)
    html = client.get(f"/review/cases/{hostile_case.pk}/").content.decode()
    assert_inert(html)
    assert html.count(ESCAPED_SCRIPT) >= 3  # one per assessment


def test_the_api_serves_rationales_and_reasons_as_sanitised_html(people, client, hostile_case):
    auth = people.secretariat.auth
    decision = client.get(f"/api/cases/{hostile_case.pk}/decision", headers=auth).json()
    assessments = client.get(f"/api/cases/{hostile_case.pk}/assessments", headers=auth).json()
    assert decision["public_reasons"] == HOSTILE  # as written; only the HTML is sanitised
    for html in [decision["public_reasons_html"], *(a["rationale_html"] for a in assessments)]:
        assert_inert(html)
        assert "<strong>bold</strong>" in html


def test_the_reporters_status_page_shows_the_reasons_as_text(client, hostile_case):
    report = Report.objects.get(case_link__case=hostile_case)
    html = client.get(f"/status/?code={report.display_code}").content.decode()
    assert_inert(html)
    assert ESCAPED_SCRIPT in html


def test_the_referral_page_shows_reasons_and_note_as_text(people, client, hostile_case):
    lara = liaison("metaplat", "lara@metaplat.example")
    assert refer(client, people.secretariat, hostile_case, note=HOSTILE).status_code == 201
    log_in(client, lara)
    html = client.get(f"/referrals/{Referral.objects.get().pk}/").content.decode()
    assert_inert(html)
    assert html.count(ESCAPED_SCRIPT) == 2  # the public reasons and the note


def test_the_report_form_shows_what_was_typed_and_its_errors_as_text(db, client):
    typed = {**REPORT, "text": HOSTILE, "url": "javascript:alert(1)//<script>"}
    response = client.post("/", typed)
    assert response.status_code == 422
    html = response.content.decode()
    assert_inert(html)
    assert ESCAPED_SCRIPT in html and "is not a web address" in html


def test_chart_labels_and_tables_on_the_transparency_page_stay_text(people, client):
    platform = Organisation.objects.create(slug="metaplat", name="Metaplat", kind="platform")
    for hours, language in enumerate(["<script>alert(1)", "<svg onload=x>"], start=1):
        case_with(people, platform, reports=6, language=language, hours_to_action=hours)
    html = client.get("/transparency/").content.decode()
    assert_inert(html)
    assert html.count("<svg") == 2 and "&lt;svg onload=x&gt;" in html
