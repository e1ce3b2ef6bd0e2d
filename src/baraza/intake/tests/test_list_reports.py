import pytest


def listed(client, person):
    response = client.get("/api/reports", headers=person.auth)
    assert response.status_code == 200
    return {item["tracking_code"] for item in response.json()["items"]}


def test_a_member_lists_their_organisations_amber_reports(people, client, make_report):
    report = make_report(people.amina, tlp="amber")
    assert listed(client, people.alice) == {report.display_code}


def test_it_hides_amber_reports_from_other_organisations(people, client, make_report):
    make_report(people.amina, tlp="amber")
    green = make_report(people.amina, tlp="green", text="A different claim about ballots.")
    assert listed(client, people.bob) == {green.display_code}


@pytest.mark.django_db
def test_anonymous_people_get_a_401(client):
    response = client.get("/api/reports")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_the_list_is_paginated(people, client, make_report):
    for number in range(5):
        make_report(people.amina, text=f"Report number {number} about the tallying centre.")
    page = client.get("/api/reports?limit=2&offset=0", headers=people.alice.auth).json()
    assert page["count"] == 5
    assert len(page["items"]) == 2
    rest = client.get("/api/reports?limit=10&offset=2", headers=people.alice.auth).json()
    assert len(rest["items"]) == 3


def test_items_carry_the_case_but_never_the_contact(people, client, make_report):
    make_report(people.amina, contact="amina-private@example.org")
    response = client.get("/api/reports", headers=people.alice.auth)
    item = response.json()["items"][0]
    assert item["case_id"] is not None
    assert item["has_contact"] is True
    assert "amina-private" not in response.content.decode()


def test_asking_for_a_page_over_the_maximum_is_a_422_naming_the_limit(people, client):
    response = client.get("/api/reports?limit=100000", headers=people.alice.auth)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "limit"
