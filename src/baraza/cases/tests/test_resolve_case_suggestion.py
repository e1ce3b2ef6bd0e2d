import pytest

from baraza.audit.models import AuditEvent
from baraza.cases.models import CaseReport, CaseSuggestion
from baraza.cases.tests.claims import SMS_EN, SMS_FR


def case_of(report):
    return CaseReport.objects.get(report=report).case


@pytest.fixture
def suggested(make_report, settings):
    """Two cases of one claim, one in English and one in French, linked by a suggestion."""
    settings.CLUSTER_AUTO_LINK = 0.99

    def make(by=None, tlp="amber"):
        english = make_report(by, text=SMS_EN, tlp=tlp)
        french = make_report(by, text=SMS_FR, tlp=tlp)
        return english, french, CaseSuggestion.objects.get(status="pending")

    return make


def answer(client, person, case, suggestion, confirm):
    return client.post(
        f"/api/cases/{case.pk}/suggestions/{suggestion.pk}",
        {"confirm": confirm},
        content_type="application/json",
        headers=person.auth if person else {},
    )


def test_the_case_shows_its_suggested_links_from_either_side(people, client, suggested):
    english, french, suggestion = suggested()
    for mine, other in ((english, french), (french, english)):
        body = client.get(f"/api/cases/{case_of(mine).pk}", headers=people.secretariat.auth).json()
        assert body["suggestions"] == [
            {"id": suggestion.pk, "case_id": case_of(other).pk, "similarity": suggestion.similarity}
        ]


def test_confirming_merges_the_newer_case_into_the_older(people, client, suggested):
    english, french, suggestion = suggested()
    older, newer = case_of(english), case_of(french)
    response = answer(client, people.secretariat, newer, suggestion, True)
    assert response.status_code == 200
    assert response.json()["id"] == older.pk
    assert response.json()["suggestions"] == []
    assert case_of(french) == older
    suggestion.refresh_from_db()
    assert suggestion.status == "confirmed"
    assert AuditEvent.objects.get(action="cases.merged").payload["suggestion"] == suggestion.pk


def test_rejecting_is_remembered_and_cannot_be_answered_twice(people, client, suggested):
    english, french, suggestion = suggested()
    response = answer(client, people.secretariat, case_of(english), suggestion, False)
    assert response.status_code == 200
    assert case_of(english) != case_of(french)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.resolved_by) == (
        "rejected",
        people.secretariat.member.user,
    )
    assert AuditEvent.objects.filter(action="cases.suggestion_rejected").count() == 1
    again = answer(client, people.secretariat, case_of(english), suggestion, True)
    assert again.status_code == 404  # a resolved suggestion is no longer offered
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected"
    assert case_of(english) != case_of(french)
    assert not AuditEvent.objects.filter(action="cases.merged").exists()


def test_a_suggestion_to_a_case_you_cannot_see_is_hidden(people, client, suggested):
    english, french, suggestion = suggested(by=people.amina)
    case_of(english).shared_with.add(people.bob.organisation)
    english.shared_with.add(people.bob.organisation)
    body = client.get(f"/api/cases/{case_of(english).pk}", headers=people.bob.auth).json()
    assert body["suggestions"] == []
    assert answer(client, people.bob, case_of(english), suggestion, True).status_code == 404
    assert case_of(english) != case_of(french)
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_another_organisation_and_anonymous_people_cannot_answer(people, client, suggested):
    english, french, suggestion = suggested(by=people.amina)
    assert answer(client, people.bob, case_of(english), suggestion, True).status_code == 404
    assert answer(client, None, case_of(english), suggestion, True).status_code == 401
    suggestion.refresh_from_db()
    assert suggestion.status == "pending" and case_of(english) != case_of(french)
    assert answer(client, people.alice, case_of(english), suggestion, False).status_code == 200
    suggestion.refresh_from_db()
    assert suggestion.status == "rejected"


def test_a_monitor_sees_suggestions_but_cannot_answer(people, client, suggested):
    english, _, suggestion = suggested(by=people.amina)
    response = answer(client, people.amina, case_of(english), suggestion, True)
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"
