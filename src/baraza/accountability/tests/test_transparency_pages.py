"""The public transparency report as a page with charts, as CSV files and as a PDF: the same
published figures everywhere, files in their documented columns, bad periods refused."""

import csv
import io
import json
import re
import uuid
from pathlib import Path

import pytest
from django.core.cache.backends.locmem import LocMemCache

from baraza.accountability import publishing
from baraza.accountability.exports import DISPARITY_COLUMNS, ROW_COLUMNS
from baraza.accountability.tests.test_transparency_report import case_with
from baraza.accounts.models import Organisation

DOCS = Path(__file__).resolve().parents[4] / "docs" / "transparency-report.md"


@pytest.fixture
def published(people):
    platform = Organisation.objects.create(slug="metaplat", name="Metaplat", kind="platform")
    case_with(people, platform, reports=6, language="en", hours_to_action=2)
    case_with(people, platform, reports=6, language="ha", hours_to_action=8)
    case_with(people, platform, reports=2, language="sw", hours_to_action=30)  # suppressed


def test_the_page_shows_the_disparity_table_and_svg_charts_to_anyone(published, client):
    page = client.get("/transparency/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") == 2  # median hours and action rate, by language
    assert 'aria-label="Median hours to action, by language"' in html
    assert "<script" not in html
    table = html[html.index("By language") :]
    assert re.search(r"<td>ha</td><td class=\"num\">1</td><td class=\"num\">1</td>"
                     r"<td class=\"num\">8.0</td>", table)  # fmt: skip
    assert "<td>sw</td>" not in html  # the small group is suppressed everywhere
    assert "1 this period" in html
    assert len(page.content) < 50_000


def test_the_rows_csv_has_the_documented_columns_and_the_published_figures(published, client):
    response = client.get("/transparency/rows.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == ROW_COLUMNS
    assert [(r["language"], r["reports"], r["median_hours_to_action"]) for r in rows] == [
        ("en", "6", "2.0"),
        ("ha", "6", "8.0"),
    ]
    assert rows[0]["decisions_no_action"] == "1" and rows[0]["schema_version"] == "1"


def test_the_disparity_csv_matches_the_json(published, client):
    body = client.get("/api/transparency").json()
    response = client.get("/transparency/disparity.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == DISPARITY_COLUMNS
    by_language = [r for r in rows if r["dimension"] == "language"]
    assert [(r["group"], float(r["time_ratio"])) for r in by_language] == [
        (row["group"], row["time_ratio"]) for row in body["disparity"]["language"]
    ]


def test_the_json_and_csv_columns_are_the_documented_ones(published, client):
    """The schema document lists every field; a field added without documenting it fails."""
    documented = DOCS.read_text()
    body = client.get("/api/transparency").json()
    fields = {*body, *body["period"], *body["rows"][0], *body["disparity"]["language"][0]}
    for name in fields | set(ROW_COLUMNS) | set(DISPARITY_COLUMNS):
        assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", documented), name
    json.dumps(body)  # and it is plain JSON


def test_the_pdf_renders_with_its_tables_and_charts(published, client):
    response = client.get("/transparency/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", pdf)) >= 1
    assert len(re.findall(rb"/Subtype /Image", pdf)) == 2  # the two charts


def test_an_empty_period_renders_everywhere(db, client):
    query = {"since": "2020-01-01", "until": "2020-01-31"}
    assert "Nothing to publish" in client.get("/transparency/", query).content.decode()
    lines = client.get("/transparency/rows.csv", query).content.decode().splitlines()
    assert lines == [",".join(ROW_COLUMNS)]
    assert client.get("/transparency/report.pdf", query).content.startswith(b"%PDF-")


def test_bad_periods_are_refused_naming_the_field(db, client):
    unknown = client.get("/transparency/", {"election": "nowhere-2027"})
    assert unknown.status_code == 422 and "no election nowhere-2027" in unknown.content.decode()
    backwards = client.get("/transparency/rows.csv", {"since": "2027-02-01", "until": "2027-01-01"})
    assert backwards.status_code == 422 and backwards.content.decode().startswith("since:")
    assert client.get("/transparency/report.pdf", {"since": "yesterday"}).status_code == 422


def test_a_report_with_many_groups_keeps_the_page_under_50_kb(people, client):
    platform = Organisation.objects.create(slug="metaplat", name="Metaplat", kind="platform")
    languages = ["en", "sw", "ha", "yo", "ig", "fr", "ar", "am", "so", "zu", "xh", "pt", "rw", "lg"]
    for country in ("KE", "NG", "ZA", "GH", "SN"):
        for hours, language in enumerate(languages, start=1):
            case_with(people, platform, reports=5, language=language, country=country,
                      hours_to_action=hours)  # fmt: skip
    page = client.get("/transparency/")
    html = page.content.decode()
    assert len(page.content) < 50_000, len(page.content)
    assert "The 40 largest of 70 cells" in html
    assert html.count("<svg") == 4  # language and country, each capped at 12 groups
    assert len(client.get("/transparency/rows.csv").content.decode().splitlines()) == 71


def test_computing_reports_is_rate_limited_but_cached_reports_are_not(
    db, client, settings, monkeypatch
):
    # A cache of this test's own: Redis outlives test runs, and reports depend on the data.
    monkeypatch.setattr(publishing, "cache", LocMemCache(f"test-{uuid.uuid4()}", {}))
    settings.REPORT_RATE = "2/h"
    settings.REPORT_CACHE_SECONDS = 300
    periods = [{"since": f"2026-01-0{day}", "until": "2026-01-20"} for day in (1, 2, 3)]
    assert client.get("/transparency/", periods[0]).status_code == 200
    assert client.get("/api/transparency", periods[1]).status_code == 200
    limited = client.get("/transparency/rows.csv", periods[2])
    assert limited.status_code == 429 and limited["Retry-After"] == "3600"
    assert client.get("/api/transparency", periods[2]).status_code == 429
    # Periods already computed are served from the cache to anyone, any number of times.
    for _ in range(3):
        assert client.get("/transparency/report.pdf", periods[0]).status_code == 200
        assert client.get("/api/transparency", periods[1]).status_code == 200
