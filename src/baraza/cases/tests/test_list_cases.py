import pytest


def listed(client, person, query=""):
    response = client.get(f"/api/cases{query}", headers=person.auth)
    assert response.status_code == 200
    return response.json()


def test_the_owning_organisation_sees_its_amber_case(people, client, make_report):
    make_report(people.amina, tlp="amber")
    body = listed(client, people.alice)
    assert body["count"] == 1
    assert body["items"][0]["report_count"] == 1


def test_it_hides_amber_cases_from_other_organisations(people, client, make_report):
    make_report(people.amina, tlp="amber")
    assert listed(client, people.bob)["count"] == 0


@pytest.mark.django_db
def test_anonymous_people_get_a_401(client):
    assert client.get("/api/cases").status_code == 401


def test_the_report_count_counts_only_reports_you_may_see(people, client, make_report):
    make_report(people.amina, tlp="amber")
    make_report(people.bob, tlp="amber")  # same text, same case
    assert listed(client, people.alice)["items"][0]["report_count"] == 1
    assert listed(client, people.bob)["items"][0]["report_count"] == 1


def test_cases_can_be_filtered(people, client, make_report):
    make_report(
        people.amina,
        tlp="green",
        platform="x",
        country="NG",
        language="ha",
        category="hate_speech",
        text="First claim, in Hausa, about voters.",
    )
    make_report(people.amina, tlp="green", text="Second claim, in English, about ballots.")
    assert listed(client, people.bob, "?platform=x")["count"] == 1
    assert listed(client, people.bob, "?country=ng")["count"] == 1
    assert listed(client, people.bob, "?language=ha&category=hate_speech")["count"] == 1
    assert listed(client, people.bob, "?status=new")["count"] == 2
    assert listed(client, people.bob, "?status=decided")["count"] == 0


def test_an_unknown_filter_value_is_a_422(people, client):
    response = client.get("/api/cases?status=lost", headers=people.alice.auth)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "status"


def test_the_queue_is_paginated(people, client, make_report):
    for number in range(3):
        make_report(people.amina, text=f"Claim number {number} about the count.")
    page = listed(client, people.alice, "?limit=2")
    assert (page["count"], len(page["items"])) == (3, 2)


def test_an_offset_beyond_any_list_is_a_422_not_a_crash(people, client):
    response = client.get("/api/cases?offset=99999999999999999999", headers=people.alice.auth)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "offset"
