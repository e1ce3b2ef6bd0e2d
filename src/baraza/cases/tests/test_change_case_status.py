from baraza.audit.models import AuditEvent
from baraza.cases.models import Case
from baraza.intake.models import Report
from baraza.testing import conflict, field_errors


def change(client, person, case, status, note=""):
    return client.post(
        f"/api/cases/{case.pk}/status",
        {"status": status, "note": note},
        content_type="application/json",
        headers=person.auth,
    )


def test_the_secretariat_triages_a_public_case(people, client, make_report):
    report = make_report(None)
    case = Case.objects.get(links__report=report)
    response = change(client, people.secretariat, case, "triaged", note="clear procedural claim")
    assert response.status_code == 200
    assert response.json()["status"] == "triaged"
    assert Report.objects.get(pk=report.pk).status == "triaged"
    event = AuditEvent.objects.get(action="cases.status_changed")
    assert event.payload == {"from": "new", "to": "triaged", "note": "clear procedural claim"}
    assert event.actor == people.secretariat.member.user


def test_a_reviewer_may_not_change_the_status(people, client, make_report):
    report = make_report(people.amina, tlp="green")
    case = Case.objects.get(links__report=report)
    assert change(client, people.alice, case, "triaged").status_code == 403
    assert Case.objects.get(pk=case.pk).status == "new"


def test_another_organisation_cannot_touch_a_case_it_cannot_see(people, client, make_report):
    report = make_report(people.amina, tlp="amber")
    case = Case.objects.get(links__report=report)
    assert change(client, people.secretariat, case, "triaged").status_code == 404
    assert Case.objects.get(pk=case.pk).status == "new"


def test_anonymous_people_get_a_401(people, client, make_report):
    case = Case.objects.get(links__report=make_report(None))
    response = client.post(
        f"/api/cases/{case.pk}/status", {"status": "triaged"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert Case.objects.get(pk=case.pk).status == "new"


def test_a_case_cannot_skip_a_step(people, client, make_report):
    case = Case.objects.get(links__report=make_report(None))
    response = change(client, people.secretariat, case, "decided")
    field, message = conflict(response)
    assert field == "status" and "can move to: closed, triaged" in message
    assert Case.objects.get(pk=case.pk).status == "new"
    assert not AuditEvent.objects.filter(action="cases.status_changed").exists()


def test_an_unknown_status_is_refused(people, client, make_report):
    case = Case.objects.get(links__report=make_report(None))
    errors = field_errors(change(client, people.secretariat, case, "vanished"))
    assert list(errors) == ["status"] and "triaged" in errors["status"]  # the choices
    assert Case.objects.get(pk=case.pk).status == "new"
    assert not AuditEvent.objects.filter(action="cases.status_changed").exists()


def test_another_organisations_secretariat_cannot_change_a_case_it_can_see(
    people, client, make_report
):
    people.bob.member.role = "secretariat"
    people.bob.member.save()
    case = Case.objects.get(links__report=make_report(people.amina, tlp="green"))
    assert change(client, people.bob, case, "closed").status_code == 403
    assert Case.objects.get(pk=case.pk).status == "new"


def test_a_change_decided_on_a_stale_view_of_the_case_is_refused(people, make_report):
    import pytest

    from baraza.cases.actions import do_change_case_status
    from baraza.errors import Conflict

    case = Case.objects.get(links__report=make_report(None))
    secretariat = people.secretariat.member
    do_change_case_status(case, "triaged", member=secretariat)
    stale = Case.objects.get(pk=case.pk)  # someone's page still shows "triaged"
    do_change_case_status(Case.objects.get(pk=case.pk), "closed", member=secretariat)
    with pytest.raises(Conflict, match="a closed case can move to") as refused:
        do_change_case_status(stale, "in_review", member=secretariat)
    assert refused.value.field == "status"
    assert Case.objects.get(pk=case.pk).status == "closed"
