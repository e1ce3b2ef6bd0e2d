"""A case goes from new to decided, is appealed, and is decided again by a fresh panel."""

from datetime import timedelta

import pytest

from baraza.audit.models import AuditEvent
from baraza.cases.models import Case
from baraza.conftest import _person
from baraza.intake.models import Report
from baraza.review.models import Appeal, Assignment, Decision
from baraza.review.tests.helpers import assess, assign, case_of
from baraza.review.tests.test_decide_case import DECISION, decide
from baraza.testing import conflict, field_errors


@pytest.fixture
def decided(people, client, make_report):
    """A public report's clear case, assessed by three organisations and decided 'false'."""
    report = make_report(None, tlp="clear")
    case = case_of(report)
    for reviewer in (people.alice, people.bob, people.carol):
        assign(client, people.secretariat, case, reviewer)
        assess(client, reviewer, case)
    assert decide(client, people.secretariat, case).status_code == 201
    return case, report


def appeal(client, case, person=None, **body):
    return client.post(
        f"/api/cases/{case.pk}/appeals",
        {"grounds": "The notice was withdrawn on Friday.", **body},
        content_type="application/json",
        headers=person.auth if person else {},
    )


def decide_appeal(client, person, case, appeal_id, **body):
    return client.post(
        f"/api/cases/{case.pk}/appeals/{appeal_id}/decision",
        body,
        content_type="application/json",
        headers=person.auth,
    )


def panel(people):
    """Reviewers who did not assess the case, from two organisations."""
    return [
        _person("ukweli", "reviewer", "dan@ukweli.example"),
        _person("sauti", "reviewer", "eve@sauti.example"),
        _person("gaskiya", "reviewer", "fay@gaskiya.example"),
    ]


def test_the_reporter_appeals_and_a_fresh_panel_replaces_the_decision(people, client, decided):
    case, report = decided
    filed = appeal(client, case, tracking_code=report.display_code.lower())
    assert filed.status_code == 201
    assert filed.json()["by_reporter"] is True
    assert Case.objects.get(pk=case.pk).status == "in_review"
    status = client.get(f"/api/reports/{report.display_code}/status").json()
    assert status["status"] == "in_review"
    # Those who assessed before may not sit on the panel.
    field, message = conflict(assign(client, people.secretariat, case, people.bob))
    assert field == "reviewer" and "fresh eyes" in message
    assert Assignment.objects.filter(case=case, reviewer=people.bob.member.user).count() == 1
    for reviewer in panel(people):
        assert assign(client, people.secretariat, case, reviewer).status_code == 201
        assert assess(client, reviewer, case, verdict="missing_context").status_code == 201
    appeal_id = filed.json()["id"]
    new = decide_appeal(
        client,
        people.secretariat,
        case,
        appeal_id,
        uphold=False,
        decision={**DECISION, "verdict": "missing_context", "public_reasons": "Withdrawn."},
    )
    assert new.status_code == 201
    assert new.json()["verdict"] == "missing_context"
    first = Decision.objects.order_by("pk").first()
    assert new.json()["replaces"] == first.pk  # both kept
    assert Appeal.objects.get().status == "replaced"
    assert Case.objects.get(pk=case.pk).status == "decided"
    assert Report.objects.get(pk=report.pk).public_outcome == "Withdrawn."
    public = client.get(f"/api/cases/{case.pk}/decision").json()
    assert public["verdict"] == "missing_context"
    page = client.get(f"/decisions/{case.pk}/").content.decode()
    assert "Earlier decisions" in page and "replaces an earlier one" in page


def test_a_member_appeals_and_the_decision_is_upheld(people, client, decided):
    case, _ = decided
    filed = appeal(client, case, people.bob)
    assert filed.status_code == 201 and filed.json()["by_reporter"] is False
    for reviewer in panel(people):
        assign(client, people.secretariat, case, reviewer)
        assess(client, reviewer, case)
    kept = decide_appeal(client, people.secretariat, case, filed.json()["id"], uphold=True)
    assert kept.status_code == 201
    assert kept.json()["id"] == Decision.objects.get().pk
    assert Appeal.objects.get().status == "upheld"
    assert AuditEvent.objects.get(action="review.appeal_decided").payload["outcome"] == "upheld"


def test_an_appeal_is_heard_once_and_only_in_time(people, client, decided):
    case, report = decided
    Decision.objects.update(created_at=Decision.objects.get().created_at - timedelta(days=15))
    _, message = conflict(appeal(client, case, people.bob))
    assert "window closed" in message
    assert not Appeal.objects.exists()
    Decision.objects.update(created_at=Decision.objects.get().created_at + timedelta(days=15))
    assert appeal(client, case, people.bob).status_code == 201
    Case.objects.filter(pk=case.pk).update(status="decided")
    _, message = conflict(appeal(client, case, tracking_code=report.display_code))
    assert "already appealed" in message
    assert Appeal.objects.count() == 1


def test_an_undecided_case_cannot_be_appealed(people, client, make_report):
    case = case_of(make_report(people.bob, tlp="green"))
    _, message = conflict(appeal(client, case, people.bob))
    assert "only a decided case" in message
    assert not Appeal.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "new"


def test_a_wrong_tracking_code_reveals_nothing(people, client, decided, make_report):
    case, _ = decided
    elsewhere = make_report(None, text="Another claim entirely about ballot papers in Kano.")
    wrong_case = appeal(client, case, tracking_code=elsewhere.display_code)
    unknown = appeal(client, case, tracking_code="K7QM-3XHP-9TWD")
    assert wrong_case.status_code == unknown.status_code == 404
    assert wrong_case.json() == unknown.json()
    assert list(field_errors(appeal(client, case, tracking_code="not a code"))) == ["tracking_code"]
    assert appeal(client, case).status_code == 401  # neither a member nor a code
    assert not Appeal.objects.exists()


def test_another_organisation_cannot_appeal_an_amber_decision_it_cannot_see(
    people, client, make_report
):
    case = case_of(make_report(None, tlp="amber"))
    assign(client, people.secretariat, case, people.bob)
    assess(client, people.bob, case)
    assert decide(client, people.secretariat, case, override_reason="urgent").status_code == 201
    assert appeal(client, case, people.carol).status_code == 404
    assert not Appeal.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "decided"


def test_the_appeal_is_decided_by_the_secretariat_with_the_panels_quorum(people, client, decided):
    case, _ = decided
    appeal_id = appeal(client, case, people.bob).json()["id"]
    assert decide_appeal(client, people.bob, case, appeal_id, uphold=True).status_code == 403
    assert Appeal.objects.get().status == "pending"
    refused = decide_appeal(client, people.secretariat, case, appeal_id, uphold=True)
    field, message = conflict(refused)
    assert field == "override_reason" and "fewer than required" in message
    missing = decide_appeal(client, people.secretariat, case, appeal_id, uphold=False)
    assert "give the new one" in field_errors(missing)["decision"]
    field, message = conflict(decide(client, people.secretariat, case))
    assert "decide the appeal instead" in message
    assert Appeal.objects.get().status == "pending"
    assert Decision.objects.count() == 1
    assert Case.objects.get(pk=case.pk).status == "in_review"
    forced = decide_appeal(
        client, people.secretariat, case, appeal_id, uphold=True, override_reason="no panel"
    )
    assert forced.status_code == 201
    assert Appeal.objects.get().status == "upheld"
    assert Case.objects.get(pk=case.pk).status == "decided"
    again = decide_appeal(
        client, people.secretariat, case, appeal_id, uphold=True, override_reason="again"
    )
    field, message = conflict(again)
    assert "already decided" in message
    assert Appeal.objects.get().status == "upheld" and Decision.objects.count() == 1
    assert AuditEvent.objects.filter(action="review.appeal_decided").count() == 1


def test_other_organisations_and_anonymous_people_cannot_decide_an_appeal(people, client, decided):
    case, _ = decided
    appeal_id = appeal(client, case, people.bob).json()["id"]
    url = f"/api/cases/{case.pk}/appeals/{appeal_id}/decision"
    body = {"uphold": True, "override_reason": "x"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    response = client.post(url, body, content_type="application/json", headers=people.carol.auth)
    assert response.status_code == 403
    assert Appeal.objects.get().status == "pending"
