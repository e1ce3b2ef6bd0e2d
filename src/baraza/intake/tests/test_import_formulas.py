"""An imported text that a spreadsheet would run as a formula is kept exactly as written, and
its row is marked: in the import's answer and in the batch's audit event."""

import csv
import io
import json
from io import StringIO

from django.core.management import call_command

from baraza.audit.models import AuditEvent
from baraza.intake.models import Report
from baraza.intake.tests.test_import_reports import upload

HOSTILE = ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)"]
COLUMNS = ["external_id", "text", "platform", "country", "category", "contact"]


def csv_file(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue()


ROWS = [
    *([f"f-{n}", text, "x", "KE", "disinformation", ""] for n, text in enumerate(HOSTILE)),
    ["t-1", "\t=1", "x", "KE", "disinformation", ""],  # line 6
    ["h-1", "Polls close at 5-6pm, not 2pm", "x", "KE", "disinformation", "+254 712 345 678"],
    ["r-1", "=1+1", "x", "ZZ", "disinformation", ""],  # line 8: rejected (country)
    ["'-1", "'=1+1 came from a spreadsheet export", "x", "KE", "disinformation", ""],
]


def texts(person):
    """The imported texts by the row's own id."""
    reports = Report.objects.filter(organisation=person.organisation)
    return {
        key.removeprefix("id:"): text
        for key, text in reports.values_list("idempotency_key", "text")
    }


def test_formula_like_texts_are_imported_as_written_and_their_rows_listed(people, client):
    body = upload(client, people.amina, csv_file(ROWS)).json()
    assert (body["created"], body["rejected_count"]) == (7, 1)
    assert body["formula_like"] == [2, 3, 4, 5, 6]
    stored = texts(people.amina)
    assert [stored[f"f-{n}"] for n in range(len(HOSTILE))] == HOSTILE
    assert stored["t-1"] == "=1"  # trimmed like every report's text, and still marked
    assert stored["'-1"] == "'=1+1 came from a spreadsheet export"  # a quote is not removed


def test_each_batchs_audit_event_records_its_formula_like_rows(people, client, settings):
    settings.IMPORT_BATCH_SIZE = 4
    upload(client, people.amina, csv_file(ROWS))
    events = AuditEvent.objects.filter(action="intake.reports_imported").order_by("pk")
    assert [event.payload["formula_like"] for event in events] == [[2, 3, 4, 5], [6]]


def test_rows_imported_before_are_not_listed_again(people, client):
    upload(client, people.amina, csv_file(ROWS))
    again = upload(client, people.amina, csv_file(ROWS)).json()
    assert (again["created"], again["formula_like"]) == (0, [])


def test_jsonl_rows_are_marked_the_same_way(people, client):
    lines = [
        {"text": text, "platform": "x", "country": "KE", "category": "other"}
        for text in ["@channel the polls moved", "Nothing to see - really", "-1 vote"]
    ]
    content = "\n".join(json.dumps(line) for line in lines)
    body = upload(client, people.amina, content, name="dump.jsonl").json()
    assert (body["created"], body["formula_like"]) == (3, [1, 3])
    assert set(Report.objects.values_list("text", flat=True)) == {line["text"] for line in lines}


def test_the_cli_summary_lists_the_formula_like_rows(people, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text(csv_file(ROWS))
    out = StringIO()
    call_command("import_reports", str(path), "--org", "ukweli", stdout=out)
    assert json.loads(out.getvalue())["formula_like"] == [2, 3, 4, 5, 6]
