import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from baraza.audit.models import AuditEvent
from baraza.intake.models import Report
from baraza.testing import field_errors

CSV = (
    "external_id,text,url,platform,country,language,category,tlp\n"
    "m-1,Voting ends at noon in Kisumu,,whatsapp,KE,en,voter_suppression,amber\n"
    "m-2,Wapiga kura wasiende vituoni,,telegram,KE,sw,incitement,green\n"
    "m-3,,https://www.tiktok.com/@a/video/1,tiktok,KE,,synthetic_media,\n"
    "m-4,Bad country,,x,ZZ,en,disinformation,amber\n"
    "m-5,,,x,KE,en,disinformation,amber\n"
)


def upload(client, person, content: str | bytes, name="reports.csv", **data):
    raw = content.encode() if isinstance(content, str) else content
    file = SimpleUploadedFile(name, raw, content_type="text/csv")
    return client.post("/api/reports/import", {"file": file, **data}, headers=person.auth)


def test_a_monitor_imports_the_valid_rows_and_hears_why_others_were_rejected(people, client):
    response = upload(client, people.amina, CSV)
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["duplicates"], body["rejected_count"]) == (3, 0, 2)
    rejected = {(r["row"], r["field"]) for r in body["rejected"]}
    assert rejected == {(5, "country"), (6, "row")}
    reports = Report.objects.filter(organisation=people.amina.organisation)
    assert reports.count() == 3
    assert set(reports.values_list("channel", flat=True)) == {"import"}


def test_importing_the_same_file_twice_creates_no_duplicates(people, client):
    upload(client, people.amina, CSV)
    again = upload(client, people.amina, CSV).json()
    assert (again["created"], again["duplicates"]) == (0, 3)
    assert Report.objects.count() == 3


def test_rows_without_an_id_are_recognised_by_their_content(people, client):
    content = "text,platform,country,category\nSame row,x,KE,disinformation\n"
    upload(client, people.amina, content)
    again = upload(client, people.amina, content).json()
    assert (again["created"], again["duplicates"]) == (0, 1)


def test_jsonl_is_imported_and_bad_lines_are_reported(people, client):
    lines = [
        json.dumps(
            {
                "text": "Ballots stuffed in Nakuru",
                "platform": "x",
                "country": "KE",
                "category": "election_integrity",
            }
        ),
        "{not json",
        json.dumps(["not", "an", "object"]),
        json.dumps(
            {"text": "ok", "platform": "x", "country": "KE", "category": "other", "unexpected": 1}
        ),
    ]
    response = upload(client, people.amina, "\n".join(lines), name="dump.jsonl")
    body = response.json()
    assert body["created"] == 1
    assert {(r["row"], r["field"]) for r in body["rejected"]} == {
        (2, "row"),
        (3, "row"),
        (4, "unexpected"),
    }


def test_rows_are_committed_batch_by_batch_with_one_audit_event_each(people, client, settings):
    settings.IMPORT_BATCH_SIZE = 2
    upload(client, people.amina, CSV)
    events = AuditEvent.objects.filter(action="intake.reports_imported")
    assert [e.payload["created"] for e in events] == [2, 1]


def test_imported_amber_reports_stay_hidden_from_other_organisations(people, client):
    upload(client, people.amina, CSV)
    visible = client.get("/api/reports", headers=people.bob.auth).json()
    assert [item["text"] for item in visible["items"]] == ["Wapiga kura wasiende vituoni"]


def test_a_reviewer_may_not_bulk_import(people, client):
    response = upload(client, people.alice, CSV)
    assert response.status_code == 403
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_anonymous_people_get_a_401(client):
    file = SimpleUploadedFile("r.csv", CSV.encode())
    assert client.post("/api/reports/import", {"file": file}).status_code == 401
    assert not Report.objects.exists()


def test_a_file_whose_format_cannot_be_told_is_a_422(people, client):
    response = upload(client, people.amina, CSV, name="reports.txt")
    assert list(field_errors(response)) == ["file"]
    assert not Report.objects.exists()
    assert upload(client, people.amina, CSV, name="reports.txt", format="csv").status_code == 200


def test_a_file_that_is_not_utf8_is_a_422(people, client):
    response = upload(client, people.amina, "text\ncaf\xe9".encode("latin-1"))
    assert "UTF-8" in field_errors(response)["file"]
    assert not Report.objects.exists()


def test_a_file_over_the_row_limit_is_refused_whole(people, client, settings):
    settings.MAX_IMPORT_ROWS = 2
    response = upload(client, people.amina, CSV)
    assert "at most 2" in field_errors(response)["file"]
    assert not Report.objects.exists()


@override_settings(MAX_IMPORT_BYTES=1024)
def test_a_file_over_the_size_limit_gets_a_413(people, client):
    response = upload(client, people.amina, CSV * 20)
    assert response.status_code == 413
    assert not Report.objects.exists()


def test_the_cli_imports_for_an_organisation(people, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text(CSV)
    out = StringIO()
    call_command("import_reports", str(path), "--org", "ukweli", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["created"], summary["rejected_count"]) == (3, 2)
    assert Report.objects.filter(submitted_by=people.amina.member.user).count() == 3


def test_the_cli_refuses_an_unknown_organisation(people, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text(CSV)
    with pytest.raises(CommandError, match="no organisation"):
        call_command("import_reports", str(path), "--org", "nobody")


def test_a_csv_cell_over_the_parsers_limit_refuses_the_file(people, client):
    content = "text,platform,country,category\n" + "a" * 140_000 + ",x,KE,other\n"
    with override_settings(MAX_IMPORT_BYTES=1_000_000):
        response = upload(client, people.amina, content)
    assert field_errors(response)["file"].startswith("CSV line")
    assert not Report.objects.exists()


def test_jsonl_lines_too_deep_or_with_huge_numbers_are_rejected_rows(people, client):
    good = json.dumps(
        {"text": "Fine row about ballots", "platform": "x", "country": "KE", "category": "other"}
    )
    lines = [good, "[" * 100_000, '{"text": ' + "9" * 5000 + "}"]
    body = upload(client, people.amina, "\n".join(lines), name="d.jsonl").json()
    assert body["created"] == 1
    assert {(r["row"], r["field"]) for r in body["rejected"]} == {(2, "row"), (3, "row")}
