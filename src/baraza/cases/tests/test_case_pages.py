from baraza.cases.models import Case
from baraza.conftest import PASSWORD


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
