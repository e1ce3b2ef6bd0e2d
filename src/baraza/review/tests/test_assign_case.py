from datetime import timedelta

from baraza.audit.models import AuditEvent
from baraza.cases.models import Case
from baraza.review.models import Assignment
from baraza.review.tests.helpers import assign, case_of
from baraza.testing import conflict, field_errors


def test_the_secretariat_assigns_a_reviewer_who_then_sees_the_amber_case(
    people, client, make_report
):
    case = case_of(make_report(None, tlp="amber"))  # a public report: the host's case
    assert client.get(f"/api/cases/{case.pk}", headers=people.bob.auth).status_code == 404
    response = assign(client, people.secretariat, case, people.bob)
    assert response.status_code == 201
    body = response.json()
    assert (body["reviewer"], body["organisation"], body["picked"]) == (
        "bob@sauti.example",
        "sauti",
        False,
    )
    seen = client.get(f"/api/cases/{case.pk}", headers=people.bob.auth)
    assert seen.status_code == 200
    assert len(seen.json()["reports"]) == 1
    assert Case.objects.get(pk=case.pk).status == "in_review"
    event = AuditEvent.objects.get(action="review.case_assigned")
    assert event.payload["shared"] is True and event.payload["organisation"] == "sauti"
    # Carol's organisation was given nothing.
    assert client.get(f"/api/cases/{case.pk}", headers=people.carol.auth).status_code == 404


def test_a_reviewer_takes_a_green_case_from_the_queue(people, client, make_report):
    case = case_of(make_report(people.bob, tlp="green"))
    response = assign(client, people.carol, case)
    assert response.status_code == 201
    assert response.json()["picked"] is True


def test_the_deadline_follows_the_harm(people, client, make_report):
    case = case_of(make_report(None, category="incitement"))
    assign(client, people.secretariat, case, people.bob)
    assignment = Assignment.objects.get()
    assert assignment.due_at - assignment.created_at == timedelta(hours=6)


def test_a_reviewer_of_the_reporting_organisation_is_conflicted(people, client, make_report):
    case = case_of(make_report(people.amina, tlp="green"))  # Amina is at Ukweli, like Alice
    field, message = conflict(assign(client, people.alice, case))
    assert field == "reviewer" and "conflict of interest" in message
    assert not Assignment.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "new"


def test_conflicts_can_be_switched_off(people, client, make_report, settings):
    settings.REVIEW_CONFLICT_OF_INTEREST = False
    case = case_of(make_report(people.amina, tlp="green"))
    assert assign(client, people.alice, case).status_code == 201


def test_a_reviewer_cannot_assign_someone_else(people, client, make_report):
    case = case_of(make_report(people.bob, tlp="green"))
    assert assign(client, people.carol, case, people.alice).status_code == 403
    assert not Assignment.objects.exists()


def test_another_organisation_cannot_take_an_amber_case_it_cannot_see(people, client, make_report):
    case = case_of(make_report(None, tlp="amber"))
    assert assign(client, people.bob, case).status_code == 404
    assert not Assignment.objects.exists()
    assert not case.shared_with.exists()


def test_anonymous_people_cannot_assign(people, client, make_report):
    case = case_of(make_report(None, tlp="clear"))
    assert assign(client, None, case).status_code == 401
    assert not Assignment.objects.exists()


def test_bad_assignments_are_refused_by_field(people, client, make_report):
    case = case_of(make_report(None))
    assert assign(client, people.secretariat, case, people.bob).status_code == 201
    field, message = conflict(assign(client, people.secretariat, case, people.bob))
    assert field == "reviewer" and "already assigned" in message
    monitor = assign(client, people.secretariat, case, people.amina)
    assert "not a reviewer" in field_errors(monitor)["reviewer"]
    nobody = client.post(
        f"/api/cases/{case.pk}/assignments",
        {"reviewer": "nobody@nowhere.example"},
        content_type="application/json",
        headers=people.secretariat.auth,
    )
    assert list(field_errors(nobody)) == ["reviewer"]
    assert Assignment.objects.count() == 1


def test_a_decided_case_takes_no_more_reviewers(people, client, make_report):
    case = case_of(make_report(None))
    Case.objects.filter(pk=case.pk).update(status="decided")
    _, message = conflict(assign(client, people.secretariat, case, people.bob))
    assert "takes no more reviewers" in message
    assert not Assignment.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "decided"


def test_an_assignment_past_its_deadline_without_an_assessment_is_overdue(
    people, client, make_report
):
    case = case_of(make_report(None, category="incitement"))
    assert assign(client, people.secretariat, case, people.bob).json()["overdue"] is False
    Assignment.objects.update(due_at=Assignment.objects.get().created_at - timedelta(hours=1))
    assert Assignment.objects.get().is_overdue is True
    from baraza.conftest import PASSWORD

    client.login(username=people.secretariat.member.user.email, password=PASSWORD)
    assert "overdue" in client.get(f"/review/cases/{case.pk}/").content.decode()
