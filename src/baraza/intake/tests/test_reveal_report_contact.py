import pytest

from baraza.audit.models import AuditEvent
from baraza.cases.models import Case
from baraza.conftest import PASSWORD


def reveal(client, person, report):
    return client.post(f"/api/reports/{report.display_code}/contact", headers=person.auth)


def test_the_owning_secretariat_sees_the_contact_and_it_is_audited(people, client, make_report):
    report = make_report(None, contact="+254 700 000 001")
    response = reveal(client, people.secretariat, report)
    assert response.status_code == 200
    assert response.json()["contact"] == "+254 700 000 001"
    event = AuditEvent.objects.get(action="intake.contact_revealed")
    assert event.actor == people.secretariat.member.user
    assert "700" not in str(event.payload)


def test_a_reviewer_of_the_owning_organisation_may_not(people, client, make_report):
    report = make_report(people.amina, tlp="amber", contact="amina-source@example.org")
    response = reveal(client, people.alice, report)
    assert response.status_code == 403
    assert "amina-source" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="intake.contact_revealed").exists()


def test_another_organisation_gets_a_404(people, client, make_report):
    report = make_report(people.amina, tlp="green", contact="x@example.org")
    people.bob.member.role = "secretariat"
    people.bob.member.save()
    refused = reveal(client, people.bob, report)
    assert refused.status_code == 403 and "x@example.org" not in refused.content.decode()
    hidden = make_report(people.amina, tlp="amber", text="Another claim.", contact="y@x.org")
    assert reveal(client, people.bob, hidden).status_code == 404
    assert not AuditEvent.objects.filter(action="intake.contact_revealed").exists()


def test_anonymous_people_get_a_401(people, client, make_report):
    report = make_report(None, contact="z@example.org")
    response = client.post(f"/api/reports/{report.display_code}/contact")
    assert response.status_code == 401 and "z@example.org" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="intake.contact_revealed").exists()


def test_a_report_without_a_contact_is_a_404(people, client, make_report):
    report = make_report(None)
    response = reveal(client, people.secretariat, report)
    assert response.status_code == 404
    assert response.json()["detail"] == "The reporter left no contact."
    assert not AuditEvent.objects.filter(action="intake.contact_revealed").exists()


def test_the_case_page_offers_and_shows_the_contact_to_the_secretariat(people, client, make_report):
    report = make_report(None, contact="+221 77 000 00 00")
    case = Case.objects.get(links__report=report)
    client.login(username="sec@host.example", password=PASSWORD)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Show the reporter" in page
    assert "+221 77" not in page
    shown = client.post(f"/cases/{case.pk}/contact/{report.tracking_code}/")
    assert shown.status_code == 200
    assert "+221 77 000 00 00" in shown.content.decode()


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_case_page_never_offers_the_contact_to_others(people, client, make_report, who):
    report = make_report(people.amina, tlp="green", contact="secret@example.org")
    case = Case.objects.get(links__report=report)
    client.login(username=getattr(people, who).member.user.email, password=PASSWORD)
    assert "Show the reporter" not in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(f"/cases/{case.pk}/contact/{report.tracking_code}/")
    assert response.status_code == 403
    assert "secret@example.org" not in response.content.decode()


def test_anonymous_people_are_sent_to_log_in_from_the_contact_page(people, client, make_report):
    report = make_report(None, contact="a@b.org")
    case = Case.objects.get(links__report=report)
    assert client.post(f"/cases/{case.pk}/contact/{report.tracking_code}/").status_code == 302
