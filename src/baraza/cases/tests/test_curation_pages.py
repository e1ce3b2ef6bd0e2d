"""Merging, splitting and answering suggested links from the case page."""

from baraza.cases.models import CaseReport, CaseSuggestion
from baraza.cases.tests.claims import INK, SMS_EN, SMS_FR
from baraza.conftest import PASSWORD

POST = "https://x.com/someone/status/777"


def log_in(client, person):
    assert client.login(username=person.member.user.email, password=PASSWORD)


def case_of(report):
    return CaseReport.objects.get(report=report).case


def suggest(make_report, settings, by=None):
    settings.CLUSTER_AUTO_LINK = 0.99
    english = make_report(by, text=SMS_EN)
    french = make_report(by, text=SMS_FR)
    return english, french, CaseSuggestion.objects.get(status="pending")


def test_the_case_page_offers_a_suggested_link_to_confirm(people, client, make_report, settings):
    english, french, suggestion = suggest(make_report, settings)
    log_in(client, people.secretariat)
    html = client.get(f"/cases/{case_of(english).pk}/").content.decode()
    assert "Possibly the same claim" in html
    assert f"/cases/{case_of(french).pk}/" in html
    url = f"/cases/{case_of(english).pk}/suggestions/{suggestion.pk}/"
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case_of(english).pk}/"
    assert case_of(french) == case_of(english)


def test_rejecting_from_the_page_keeps_the_cases_apart(people, client, make_report, settings):
    english, french, suggestion = suggest(make_report, settings)
    log_in(client, people.secretariat)
    client.post(f"/cases/{case_of(french).pk}/suggestions/{suggestion.pk}/", {"confirm": "no"})
    assert case_of(french) != case_of(english)
    html = client.get(f"/cases/{case_of(english).pk}/").content.decode()
    assert "Possibly the same claim" not in html
    assert "Suggested link rejected" in client.get(f"/cases/{case_of(french).pk}/").content.decode()


def test_another_organisation_sees_no_suggestion_and_cannot_answer(
    people, client, make_report, settings
):
    english, _, suggestion = suggest(make_report, settings, by=people.amina)
    log_in(client, people.bob)
    url = f"/cases/{case_of(english).pk}/suggestions/{suggestion.pk}/"
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_anonymous_people_are_sent_to_log_in(people, client, make_report, settings):
    english, _, suggestion = suggest(make_report, settings)
    url = f"/cases/{case_of(english).pk}/suggestions/{suggestion.pk}/"
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert client.post(f"/cases/{case_of(english).pk}/merge/", {"into": 1}).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_a_reviewer_merges_from_the_page(people, client, make_report):
    first = make_report(people.amina, text=SMS_EN, tlp="green")
    second = make_report(people.bob, text=INK, tlp="green")
    log_in(client, people.carol)
    assert (
        "Merge this case into another"
        in client.get(f"/cases/{case_of(second).pk}/").content.decode()
    )
    response = client.post(f"/cases/{case_of(second).pk}/merge/", {"into": case_of(first).pk})
    assert response["Location"] == f"/cases/{case_of(first).pk}/"
    assert case_of(second) == case_of(first)


def test_merging_into_an_unknown_case_explains_itself(people, client, make_report):
    first = make_report(None, text=SMS_EN)
    log_in(client, people.secretariat)
    response = client.post(f"/cases/{case_of(first).pk}/merge/", {"into": "99999"}, follow=True)
    assert "There is no case 99999 that you may see." in response.content.decode()


def test_a_monitor_sees_no_curation_forms_and_cannot_post_them(people, client, make_report):
    first = make_report(people.amina, text=SMS_EN, url=POST, tlp="green")
    second = make_report(people.amina, text=INK, url=POST, tlp="green")
    log_in(client, people.amina)
    html = client.get(f"/cases/{case_of(first).pk}/").content.decode()
    assert "Merge this case into another" not in html
    assert "Move the ticked reports" not in html
    split = client.post(f"/cases/{case_of(first).pk}/split/", {"reports": [second.tracking_code]})
    assert split.status_code == 403
    assert case_of(first) == case_of(second)


def test_a_reviewer_splits_from_the_page(people, client, make_report):
    first = make_report(people.amina, text=SMS_EN, url=POST, tlp="amber")
    second = make_report(people.amina, text=INK, url=POST, tlp="amber")
    log_in(client, people.alice)
    html = client.get(f"/cases/{case_of(first).pk}/").content.decode()
    assert "Move the ticked reports to a new case" in html
    response = client.post(
        f"/cases/{case_of(first).pk}/split/", {"reports": [second.tracking_code]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case_of(second).pk}/"
    assert case_of(first) != case_of(second)


def test_another_organisation_cannot_split_from_the_page(people, client, make_report):
    first = make_report(people.amina, text=SMS_EN, url=POST, tlp="amber")
    second = make_report(people.amina, text=INK, url=POST, tlp="amber")
    log_in(client, people.bob)
    response = client.post(
        f"/cases/{case_of(first).pk}/split/", {"reports": [second.tracking_code]}
    )
    assert response.status_code == 404
    assert case_of(first) == case_of(second)
