"""Every CSV Baraza writes (open data, the transparency rows and disparity tables) writes text
that a spreadsheet would run as a formula as text: a leading `'`, the OWASP way. Numbers and a
`-` inside a text stay as they are."""

import csv
import io

import pytest

from baraza.accountability.tests.test_transparency_report import case_with
from baraza.accounts.models import Organisation
from baraza.intake.models import Report
from baraza.review.models import Decision
from baraza.review.tests.helpers import assess, assign, case_of
from baraza.review.tests.test_decide_case import decide
from baraza.spreadsheet import formula_like, safe_cell

PAYLOADS = ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
# A case's language is at most 16 characters (PostgreSQL enforces it; SQLite does not).
SHORT_PAYLOADS = ['=cmd|"/c"', *PAYLOADS[1:]]
HARMLESS = "Polls close at 5-6pm, not at 2pm = a lie"


@pytest.fixture
def decided_clear_case(people, client, make_report):
    """A clear case decided through the API: it is published as open data."""

    def make(text):
        case = case_of(make_report(None, tlp="clear", text=text))
        for reviewer in (people.alice, people.bob, people.carol):
            assign(client, people.secretariat, case, reviewer)
            assess(client, reviewer, case)
        assert decide(client, people.secretariat, case).status_code == 201
        return case

    return make


def open_data_rows(client):
    response = client.get("/open-data/cases.csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize("text", PAYLOADS)
def test_a_formula_like_text_becomes_a_text_cell(text):
    assert formula_like(text)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [HARMLESS, "", "'=1", " =1", "2027-08-09", -3, 2.5, 0])
def test_other_text_and_numbers_are_written_as_they_are(value):
    assert safe_cell(value) == value


def test_a_missing_value_is_an_empty_cell():
    assert safe_cell(None) == ""


def test_open_data_csv_writes_reported_texts_and_reasons_as_text(decided_clear_case, client):
    case = decided_clear_case(PAYLOADS[0])
    report, decision = Report.objects.get(case_link__case=case), Decision.objects.get(case=case)
    for payload in PAYLOADS:
        Report.objects.filter(pk=report.pk).update(text=payload)
        Decision.objects.filter(pk=decision.pk).update(public_reasons=payload)
        (row,) = open_data_rows(client)
        assert row["content_texts"] == "'" + payload
        assert row["public_reasons"] == "'" + payload
        assert (row["case_id"], row["reports"]) == (str(case.pk), "1")


def test_open_data_csv_leaves_harmless_text_and_the_jsonl_alone(decided_clear_case, client):
    case = decided_clear_case(HARMLESS)
    Decision.objects.filter(case=case).update(public_reasons="-2+3")
    (row,) = open_data_rows(client)
    assert row["content_texts"] == HARMLESS
    assert row["public_reasons"] == "'-2+3"
    jsonl = b"".join(client.get("/open-data/cases.jsonl").streaming_content).decode()
    assert '"public_reasons": "-2+3"' in jsonl  # the quote is for spreadsheets only


@pytest.fixture
def hostile_languages(people):
    """Published cells whose language (free text in the database) is each payload."""
    platform = Organisation.objects.create(slug="metaplat", name="Metaplat", kind="platform")
    for hours, language in enumerate(SHORT_PAYLOADS, start=1):
        case_with(people, platform, reports=6, language=language, hours_to_action=hours)


def test_transparency_rows_csv_writes_formula_like_cells_as_text(hostile_languages, client):
    rows = list(csv.DictReader(io.StringIO(client.get("/transparency/rows.csv").content.decode())))
    assert sorted(row["language"] for row in rows) == sorted("'" + p for p in SHORT_PAYLOADS)
    for row in rows:
        assert (row["reports"], row["decisions_no_action"], row["referrals"]) == ("6", "1", "1")
        assert float(row["median_hours_to_action"]) > 0
        assert row["period_start"][0].isdigit()


def test_transparency_disparity_csv_writes_formula_like_groups_as_text(hostile_languages, client):
    body = client.get("/transparency/disparity.csv").content.decode()
    rows = [r for r in csv.DictReader(io.StringIO(body)) if r["dimension"] == "language"]
    assert sorted(row["group"] for row in rows) == sorted("'" + p for p in SHORT_PAYLOADS)
    assert all(float(row["time_ratio"]) > 0 for row in rows)
