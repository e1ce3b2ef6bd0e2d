from baraza.audit.models import AuditEvent
from baraza.cases.models import Case
from baraza.intake.models import Report
from baraza.testing import field_errors


def share(client, person, case, **body):
    return client.post(
        f"/api/cases/{case.pk}/share", body, content_type="application/json", headers=person.auth
    )


def test_the_owner_shares_an_amber_case_and_its_own_reports_with_an_organisation(
    people, client, make_report
):
    report = make_report(None, tlp="amber")  # public report, owned by the host organisation
    case = Case.objects.get(links__report=report)
    assert client.get(f"/api/cases/{case.pk}", headers=people.bob.auth).status_code == 404
    response = share(client, people.secretariat, case, organisations=["sauti"])
    assert response.status_code == 200
    body = client.get(f"/api/cases/{case.pk}", headers=people.bob.auth).json()
    assert [r["tracking_code"] for r in body["reports"]] == [report.display_code]
    # Carol's organisation was not named.
    assert client.get(f"/api/cases/{case.pk}", headers=people.carol.auth).status_code == 404
    event = AuditEvent.objects.get(action="cases.shared")
    assert event.payload == {"organisations": ["sauti"], "people": [], "reports": 1}


def test_sharing_never_widens_reports_another_organisation_owns(people, client, make_report):
    public = make_report(None, tlp="amber")
    alices = make_report(people.alice, tlp="amber")  # same text, another owner: its own case
    share(
        client, people.secretariat, Case.objects.get(links__report=public), organisations=["sauti"]
    )
    visible = Report.objects.visible_to(people.bob.member.user)
    assert public in visible
    assert alices not in visible


def test_an_owner_cannot_name_itself_on_a_red_report_it_cannot_see(people, client, make_report):
    people.amina.member.role = "admin"
    people.amina.member.save()
    red = make_report(people.alice, tlp="red")  # Alice is named; her colleague Amina is not
    case = Case.objects.get(links__report=red)
    response = share(client, people.amina, case, people=["amina@ukweli.example"])
    assert response.status_code == 404
    assert not case.recipients.filter(pk=people.amina.member.user.pk).exists()
    assert red not in Report.objects.visible_to(people.amina.member.user)


def test_someone_who_may_not_share_cannot_probe_for_names(people, client, make_report):
    case = Case.objects.get(links__report=make_report(people.amina, tlp="green"))
    known = share(client, people.carol, case, people=["alice@ukweli.example"])
    unknown = share(client, people.carol, case, people=["nobody@nowhere.example"])
    assert known.status_code == unknown.status_code == 403
    assert known.json() == unknown.json()
    assert not case.recipients.exists()


def test_a_red_report_can_name_more_people(people, client, make_report):
    red = make_report(people.secretariat, tlp="red")
    case = Case.objects.get(links__report=red)
    response = share(client, people.secretariat, case, people=["Bob@Sauti.example"])
    assert response.status_code == 200
    assert red in Report.objects.visible_to(people.bob.member.user)
    assert red not in Report.objects.visible_to(people.carol.member.user)


def test_another_organisation_cannot_share_what_it_does_not_own(people, client, make_report):
    report = make_report(people.alice, tlp="green")
    case = Case.objects.get(links__report=report)
    response = share(client, people.secretariat, case, organisations=["sauti"])
    assert response.status_code == 403
    assert not case.shared_with.exists()


def test_a_reviewer_of_the_owning_organisation_cannot_share(people, client, make_report):
    case = Case.objects.get(links__report=make_report(people.alice, tlp="amber"))
    assert share(client, people.alice, case, organisations=["sauti"]).status_code == 403
    assert not case.shared_with.exists()


def test_anonymous_people_get_a_401(people, client, make_report):
    case = Case.objects.get(links__report=make_report(None))
    response = client.post(
        f"/api/cases/{case.pk}/share", {"organisations": ["sauti"]}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not case.shared_with.exists()


def test_unknown_organisations_and_people_are_named_and_nothing_changes(
    people, client, make_report
):
    case = Case.objects.get(links__report=make_report(None))
    response = share(client, people.secretariat, case, organisations=["sauti", "nobody"])
    assert field_errors(response) == {"organisations": "unknown nobody"}
    response = share(client, people.secretariat, case, people=["ghost@example.org"])
    assert field_errors(response) == {"people": "unknown ghost@example.org"}
    assert not case.shared_with.exists() and not case.recipients.exists()
    assert not AuditEvent.objects.filter(action="cases.shared").exists()


def test_sharing_with_nobody_is_a_422(people, client, make_report):
    case = Case.objects.get(links__report=make_report(None))
    assert list(field_errors(share(client, people.secretariat, case))) == ["organisations"]
    assert not AuditEvent.objects.filter(action="cases.shared").exists()
