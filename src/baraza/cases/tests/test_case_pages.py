import pytest
from django.utils.html import escape

from baraza.accounts.actions import do_create_member
from baraza.accounts.permissions import require
from baraza.cases.models import Case
from baraza.cases.permissions import CaseAction
from baraza.conftest import PASSWORD
from baraza.errors import Refused


def log_in(client, person):
    assert client.login(username=person.member.user.email, password=PASSWORD)


def test_the_queue_lists_the_cases_a_member_may_see(people, client, make_report):
    mine = make_report(people.amina, tlp="amber", text="Amber claim from Ukweli about voters.")
    make_report(people.bob, tlp="amber", text="Amber claim from Sauti about ballots.")
    log_in(client, people.alice)
    response = client.get("/cases/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/cases/{Case.objects.get(links__report=mine).pk}/" in html
    assert html.count('href="/cases/') == 1 + html.count('href="/cases/"')


def test_the_queue_hides_other_organisations_cases(people, client, make_report):
    report = make_report(people.amina, tlp="amber")
    log_in(client, people.bob)
    html = client.get("/cases/").content.decode()
    assert f"/cases/{Case.objects.get(links__report=report).pk}/" not in html
    assert "No cases match." in html


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_case_page_shows_the_reports_a_member_may_see(people, client, make_report):
    report = make_report(people.amina, tlp="amber")
    case = Case.objects.get(links__report=report)
    log_in(client, people.alice)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    assert report.text in response.content.decode()


def test_the_case_page_is_a_404_for_another_organisation(people, client, make_report):
    case = Case.objects.get(links__report=make_report(people.amina, tlp="amber"))
    log_in(client, people.bob)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_the_case_page_sends_anonymous_people_to_log_in(people, client, make_report):
    case = Case.objects.get(links__report=make_report(people.amina, tlp="clear"))
    assert client.get(f"/cases/{case.pk}/").status_code == 302


def test_the_secretariat_triages_from_the_case_page(people, client, make_report):
    case = Case.objects.get(links__report=make_report(None))
    log_in(client, people.secretariat)
    assert "Change status" in client.get(f"/cases/{case.pk}/").content.decode()
    response = client.post(f"/cases/{case.pk}/status/", {"status": "triaged"}, follow=True)
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status == "triaged"


def test_a_reviewer_sees_no_status_form_and_cannot_post_one(people, client, make_report):
    case = Case.objects.get(links__report=make_report(people.amina, tlp="green"))
    log_in(client, people.alice)
    assert "Change status" not in client.get(f"/cases/{case.pk}/").content.decode()
    assert client.post(f"/cases/{case.pk}/status/", {"status": "triaged"}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == "new"


def test_a_user_without_membership_is_refused(db, client, django_user_model):
    django_user_model.objects.create_user(username="loner", password=PASSWORD)
    client.login(username="loner", password=PASSWORD)
    assert client.get("/cases/").status_code == 403


def test_another_organisations_secretariat_sees_no_status_form_on_a_green_case(
    people, client, make_report
):
    case = Case.objects.get(links__report=make_report(people.amina, tlp="green"))  # Ukweli's
    sauti = do_create_member(
        org_slug="sauti", role="secretariat", email="sec@sauti.example", password=PASSWORD
    )
    client.force_login(sauti.member.user)
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200  # green: every member sees it...
    assert case.links.get().report.text in page.content.decode()
    assert 'name="status"' not in page.content.decode()  # ...but only its owner moves it
    ukweli = do_create_member(
        org_slug="ukweli", role="secretariat", email="sec@ukweli.example", password=PASSWORD
    )
    client.force_login(ukweli.member.user)
    assert 'name="status"' in client.get(f"/cases/{case.pk}/").content.decode()


def test_a_refused_status_change_answers_403_in_the_refusals_words(people, client, make_report):
    case = Case.objects.get(links__report=make_report(people.amina, tlp="green"))
    with pytest.raises(Refused) as refusal:
        require(people.bob.member, CaseAction.CHANGE_STATUS, case)
    client.force_login(people.bob.member.user)  # a reviewer of another organisation
    response = client.post(f"/cases/{case.pk}/status/", {"status": "triaged"})
    assert response.status_code == 403
    assert escape(str(refusal.value)) in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "new"


def test_an_anonymous_status_change_is_sent_to_log_in(people, client, make_report):
    case = Case.objects.get(links__report=make_report(people.amina, tlp="clear"))
    response = client.post(f"/cases/{case.pk}/status/", {"status": "triaged"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Case.objects.get(pk=case.pk).status == "new"
