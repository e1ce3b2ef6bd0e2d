import pytest

from baraza.testing import field_errors


def test_a_member_of_the_owning_organisation_gets_the_report(people, client, make_report):
    report = make_report(people.amina, tlp="amber")
    response = client.get(f"/api/reports/{report.display_code}", headers=people.alice.auth)
    assert response.status_code == 200
    assert response.json()["text"] == report.text
    assert response.json()["organisation"] == "ukweli"


def test_another_organisation_gets_a_404_for_an_amber_report(people, client, make_report):
    report = make_report(people.amina, tlp="amber")
    response = client.get(f"/api/reports/{report.display_code}", headers=people.bob.auth)
    assert response.status_code == 404


def test_anonymous_people_get_a_401(people, client, make_report):
    report = make_report(people.amina, tlp="clear")
    assert client.get(f"/api/reports/{report.display_code}").status_code == 401


@pytest.mark.django_db
def test_a_malformed_code_is_a_422(people, client):
    response = client.get("/api/reports/!!!", headers=people.alice.auth)
    assert list(field_errors(response)) == ["tracking_code"]
