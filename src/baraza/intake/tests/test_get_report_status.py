import pytest
from django.test import override_settings

from baraza.cases.actions import do_change_case_status
from baraza.cases.models import Case
from baraza.testing import field_errors


def test_anyone_with_the_code_sees_the_status_and_nothing_else(people, client, make_report):
    report = make_report(None, contact="+254700000001")
    response = client.get(f"/api/reports/{report.display_code}/status")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"tracking_code", "status", "status_label", "public_outcome"}
    assert body["status"] == "new"
    assert body["tracking_code"] == report.display_code


def test_the_status_follows_the_case(people, client, make_report):
    report = make_report(None)
    case = Case.objects.get(links__report=report)
    do_change_case_status(case, "triaged", member=people.secretariat.member)
    body = client.get(f"/api/reports/{report.display_code}/status").json()
    assert (body["status"], body["status_label"]) == ("triaged", "Triaged")


def test_the_code_is_read_forgivingly(people, client, make_report):
    report = make_report(None)
    spoken = report.tracking_code.lower().replace("0", "o").replace("1", "l")
    assert client.get(f"/api/reports/{spoken}/status").status_code == 200


@pytest.mark.django_db
def test_an_unknown_code_is_a_404(client):
    response = client.get("/api/reports/AAAA-BBBB-CCCC/status")
    assert response.status_code == 404
    assert response.json()["detail"] == "no report has this tracking code"


@pytest.mark.django_db
def test_a_malformed_code_is_a_422_naming_the_tracking_code(client):
    response = client.get("/api/reports/short/status")
    assert list(field_errors(response)) == ["tracking_code"]


@pytest.mark.django_db
@override_settings(STATUS_LOOKUP_RATE="2/h")
def test_status_lookups_are_rate_limited_against_guessing(client):
    statuses = [client.get("/api/reports/AAAA-BBBB-CCCC/status").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
