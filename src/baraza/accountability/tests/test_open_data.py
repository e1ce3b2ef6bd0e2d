"""Open data: decided public cases only, no reporter data, the same rows in CSV, JSONL and
Parquet, in the documented columns."""

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from baraza.accountability.opendata import COLUMNS, mask_personal

PHONE_TEXT = "Polls close at 2pm, forward to all. Call me on +254 712 345 678 or a@b.example"


@pytest.fixture
def cases(people, decide_case, make_report):
    public = decide_case("clear", text=PHONE_TEXT)
    private = decide_case("amber", text="An amber claim about ballot boxes in Nakuru county.")
    undecided = make_report(None, tlp="clear", text="Undecided claim about the tallying centre.")
    return public, private, undecided


def jsonl(client):
    response = client.get("/open-data/cases.jsonl")
    assert response.status_code == 200
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


def test_only_decided_clear_cases_are_published(cases, client):
    public, _private, _undecided = cases
    rows = jsonl(client)
    assert [row["case_id"] for row in rows] == [public.pk]
    row = rows[0]
    assert list(row) == COLUMNS
    assert row["outcome"] == "verdict" and row["verdict"] == "false"
    assert row["content_urls"] == ["https://x.com/someone/status/4242"]
    assert row["reports"] == 1 and row["public_reasons"]


def test_no_reporter_data_leaves_and_pasted_contacts_are_masked(cases, client):
    public, _private, _undecided = cases
    text = b"".join(client.get("/open-data/cases.jsonl").streaming_content).decode()
    report = public.links.get().report
    assert report.tracking_code not in text
    assert "712 345 678" not in text and "a@b.example" not in text
    assert "Call me on [phone] or [email]" in text
    for forbidden in ("tracking", "contact", "organisation", "submitted_by"):
        assert forbidden not in json.loads(text.splitlines()[0])


def test_csv_and_parquet_carry_the_same_rows(cases, client):
    expected = jsonl(client)
    body = b"".join(client.get("/open-data/cases.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == COLUMNS
    assert [int(r["case_id"]) for r in rows] == [r["case_id"] for r in expected]
    assert rows[0]["content_urls"] == " | ".join(expected[0]["content_urls"])
    response = client.get("/open-data/cases.parquet")
    assert response["Content-Disposition"].endswith('cases.parquet"')
    table = pq.read_table(io.BytesIO(response.content))
    assert table.column_names == COLUMNS
    assert table.to_pylist() == expected
    assert table.schema.metadata[b"schema_version"] == b"1"


def test_an_empty_coalition_publishes_empty_but_valid_files(db, client):
    assert jsonl(client) == []
    csv_text = b"".join(client.get("/open-data/cases.csv").streaming_content).decode()
    assert csv_text.splitlines() == [",".join(COLUMNS)]
    table = pq.read_table(io.BytesIO(client.get("/open-data/cases.parquet").content))
    assert table.num_rows == 0 and table.column_names == COLUMNS


def test_the_page_lists_the_files_and_columns(db, client):
    html = client.get("/open-data/").content.decode()
    assert "/open-data/cases.parquet" in html and "<code>first_action_hours</code>" in html


def test_masking_keeps_dates_and_numbers_that_are_not_phone_numbers():
    assert mask_personal("Vote on 2027-08-09, 5pm, 1,200 stations") == (
        "Vote on 2027-08-09, 5pm, 1,200 stations"
    )
    assert mask_personal("WhatsApp 0712345678 now") == "WhatsApp [phone] now"
