import json

import pytest
from django.test import Client, override_settings

from baraza.audit.models import AuditEvent
from baraza.conftest import REPORT
from baraza.intake import crypto
from baraza.intake.models import Report
from baraza.testing import field_errors


def submit(client, body, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/api/reports", data, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_an_anonymous_report_gets_a_tracking_code_and_is_durable(client):
    response = submit(client, REPORT)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received"
    assert len(body["tracking_code"]) == 14  # XXXX-XXXX-XXXX
    report = Report.objects.get(tracking_code=body["tracking_code"].replace("-", ""))
    assert report.text == REPORT["text"]
    assert report.channel == "api"
    assert report.tlp == "amber"


@pytest.mark.django_db
def test_each_report_gets_a_different_tracking_code(client):
    codes = {submit(client, REPORT).json()["tracking_code"] for _ in range(5)}
    assert len(codes) == 5


@pytest.mark.django_db
def test_a_report_with_only_a_url_is_accepted(client):
    body = {**REPORT, "text": "", "url": "https://x.com/someone/status/123"}
    assert submit(client, body).status_code == 201


def test_a_members_report_belongs_to_their_organisation(people, client):
    response = submit(client, {**REPORT, "tlp": "green"}, **people.alice.auth)
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.organisation == people.alice.organisation
    assert report.submitted_by == people.alice.member.user
    assert report.tlp == "green"


def test_a_members_red_report_names_the_member(people, client):
    submit(client, {**REPORT, "tlp": "red"}, **people.alice.auth)
    assert list(Report.objects.get().recipients.all()) == [people.alice.member.user]


@pytest.mark.django_db
def test_an_anonymous_red_report_is_refused_because_nobody_would_be_named(client):
    response = submit(client, {**REPORT, "tlp": "red"})
    assert response.status_code == 422
    assert "tlp" in field_errors(response)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_contact_is_stored_encrypted(client):
    submit(client, {**REPORT, "contact": "+254 700 000 001"})
    report = Report.objects.get()
    assert "700" not in report.contact_encrypted
    assert crypto.decrypt(report.contact_encrypted) == "+254 700 000 001"


@pytest.mark.django_db
def test_the_audit_event_never_carries_the_contact_or_the_text(client):
    submit(client, {**REPORT, "contact": "reporter@example.org"})
    event = AuditEvent.objects.get(action="intake.report_submitted")
    assert "reporter@example.org" not in json.dumps(event.payload)
    assert REPORT["text"] not in json.dumps(event.payload)


@pytest.mark.django_db
def test_country_and_language_codes_are_normalised(client):
    submit(client, {**REPORT, "country": "ke", "language": "swa"})
    report = Report.objects.get()
    assert (report.country, report.language) == ("KE", "sw")


@pytest.mark.django_db
def test_a_language_without_a_two_letter_code_keeps_its_three_letter_code(client):
    submit(client, {**REPORT, "language": "kln"})  # Kalenjin
    assert Report.objects.get().language == "kln"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "", "url": ""}, None),
        ({"text": "   "}, None),
        ({"country": "ZZ"}, "country"),
        ({"country": "Kenya"}, "country"),
        ({"language": "klingon"}, "language"),
        ({"platform": "myspace"}, "platform"),
        ({"category": "rudeness"}, "category"),
        ({"tlp": "purple"}, "tlp"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"text": 42}, "text"),
        ({"surprise": "field"}, "surprise"),
        ({"election": "no-such-election"}, "election"),
    ],
)
def test_bad_fields_get_a_422_naming_the_field(client, change, field):
    body = {**REPORT, **change}
    response = submit(client, body)
    assert response.status_code == 422
    errors = field_errors(response)
    if field is None:
        assert "needs a text or a url" in " ".join(errors.values())
    else:
        assert field in errors
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_missing_required_field_is_named(client):
    body = {k: v for k, v in REPORT.items() if k != "country"}
    response = submit(client, body)
    assert list(field_errors(response)) == ["country"]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_malformed_json_gets_a_400(client):
    response = submit(client, '{"text": "unterminated')
    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_json_array_instead_of_an_object_is_a_422_on_the_whole_body(client):
    response = submit(client, "[1, 2]")
    assert "valid dictionary" in field_errors(response)["payload"]  # the body as a whole
    assert not Report.objects.exists()


@pytest.mark.django_db
@override_settings(MAX_TEXT_CHARS=100)
def test_text_over_the_length_cap_is_refused(client):
    response = submit(client, {**REPORT, "text": "a" * 101})
    assert "longer than 100" in field_errors(response)["text"]
    assert not Report.objects.exists()


@pytest.mark.django_db
@override_settings(MAX_CONTACT_CHARS=20)
def test_a_contact_over_the_length_cap_is_refused(client):
    response = submit(client, {**REPORT, "contact": "x" * 21})
    assert list(field_errors(response)) == ["contact"]
    assert not Report.objects.exists()


@pytest.mark.django_db
@override_settings(MAX_REQUEST_BYTES=2048)
def test_an_oversized_body_gets_a_413_and_nothing_is_stored(client):
    response = submit(client, {**REPORT, "text": "a" * 5000})
    assert response.status_code == 413
    assert "2048 bytes" in response.json()["detail"]
    assert not Report.objects.exists()


@pytest.mark.django_db
@override_settings(PUBLIC_SUBMIT_RATE="3/h")
def test_anonymous_submissions_are_rate_limited_per_address(client):
    statuses = [submit(client, REPORT).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    limited = submit(client, REPORT)
    assert "Too many requests" in limited.json()["detail"]
    assert limited["Retry-After"] == "3600"
    assert Report.objects.count() == 3


@override_settings(PUBLIC_SUBMIT_RATE="1/h")
def test_members_are_not_held_to_the_public_rate_limit(people, client):
    statuses = [submit(client, REPORT, **people.amina.auth).status_code for _ in range(3)]
    assert statuses == [201, 201, 201]


@pytest.mark.django_db
def test_a_wrong_token_is_an_error_not_an_anonymous_submission(client):
    response = submit(client, REPORT, Authorization="Bearer bz_wrong")
    assert response.status_code == 401
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_malformed_authorization_header_is_an_error(client):
    response = submit(client, REPORT, Authorization="Basic abc")
    assert response.status_code == 401
    assert not Report.objects.exists()


def test_a_submitted_report_appears_as_a_case_in_the_secretariats_queue(people, client, placed):
    with placed():
        code = submit(client, REPORT).json()["tracking_code"]
    queue = client.get("/api/cases", headers=people.secretariat.auth).json()
    assert queue["count"] == 1
    case = client.get(f"/api/cases/{queue['items'][0]['id']}", headers=people.secretariat.auth)
    assert [r["tracking_code"] for r in case.json()["reports"]] == [code]


@pytest.mark.django_db
def test_a_nul_character_is_refused_rather_than_breaking_the_database(client):
    response = submit(client, {**REPORT, "text": "before\u0000after"})
    assert "NUL" in field_errors(response)["text"]
    assert not Report.objects.exists()


@pytest.mark.django_db
@override_settings(PUBLIC_SUBMIT_RATE="2/h")
def test_ipv6_clients_are_limited_by_their_64_bit_prefix(client):
    statuses = [
        submit(Client(REMOTE_ADDR=f"2001:db8:1:2::{n}"), REPORT).status_code for n in range(1, 4)
    ]
    assert statuses == [201, 201, 429]
    assert submit(Client(REMOTE_ADDR="2001:db8:1:3::1"), REPORT).status_code == 201
