import pytest

from baraza.cases.models import Case


def test_a_member_with_access_gets_the_case_its_reports_and_timeline(people, client, make_report):
    report = make_report(people.amina, tlp="amber")
    case = Case.objects.get(links__report=report)
    response = client.get(f"/api/cases/{case.pk}", headers=people.alice.auth)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "new"
    assert [r["tracking_code"] for r in body["reports"]] == [report.display_code]
    assert [e["action"] for e in body["timeline"]] == [
        "intake.report_submitted",
        "cases.report_placed",
    ]


def test_another_organisation_gets_a_404(people, client, make_report):
    report = make_report(people.amina, tlp="amber")
    case = Case.objects.get(links__report=report)
    assert client.get(f"/api/cases/{case.pk}", headers=people.bob.auth).status_code == 404


def test_anonymous_people_get_a_401(people, client, make_report):
    report = make_report(people.amina, tlp="clear")
    case = Case.objects.get(links__report=report)
    assert client.get(f"/api/cases/{case.pk}").status_code == 401


def test_a_case_shared_with_an_organisation_shows_it_the_reports_and_history(
    people, client, make_report
):
    report = make_report(None, tlp="amber")
    case = Case.objects.get(links__report=report)
    client.post(
        f"/api/cases/{case.pk}/share",
        {"organisations": ["sauti"]},
        content_type="application/json",
        headers=people.secretariat.auth,
    )
    body = client.get(f"/api/cases/{case.pk}", headers=people.bob.auth).json()
    assert [r["tracking_code"] for r in body["reports"]] == [report.display_code]
    assert body["timeline"][-1]["action"] == "cases.shared"
    assert client.get(f"/api/cases/{case.pk}", headers=people.carol.auth).status_code == 404


@pytest.mark.django_db
def test_an_unknown_case_is_a_404(people, client):
    assert client.get("/api/cases/999999", headers=people.alice.auth).status_code == 404
