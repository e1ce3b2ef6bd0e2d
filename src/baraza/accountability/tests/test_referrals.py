"""Referrals and platform responses: access for liaisons, clocks, bad input."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from baraza.accountability.models import Referral, Response
from baraza.accountability.tests.helpers import POST, refer, respond
from baraza.audit.models import AuditEvent
from baraza.cases.models import CaseStatus
from baraza.review.tests.helpers import case_of
from baraza.testing import conflict, field_errors


def test_the_secretariat_refers_a_decided_case_and_the_liaison_is_emailed(
    people, client, platforms, decided_case, placed
):
    with placed():
        response = refer(client, people.secretariat, decided_case)
    assert response.status_code == 201
    body = response.json()
    assert body["recipient"] == "metaplat" and body["content_urls"] == [POST]
    assert body["due_at"] is not None and body["overdue"] is False
    assert [m.to for m in mail.outbox] == [["lara@metaplat.example"]]
    assert AuditEvent.objects.filter(action="accountability.case_referred").count() == 1


def test_a_liaison_sees_only_the_referrals_to_their_platform(
    people, client, platforms, decided_case
):
    lara, tom = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    page = client.get("/api/referrals", headers=lara.auth).json()
    assert [r["id"] for r in page["items"]] == [referral_id] and page["count"] == 1
    assert client.get("/api/referrals", headers=tom.auth).json() == {"items": [], "count": 0}
    assert client.get(f"/api/referrals/{referral_id}", headers=tom.auth).status_code == 404
    nothing = {"items": [], "count": 0}
    assert client.get("/api/referrals", headers=people.bob.auth).json() == nothing  # a reviewer
    assert client.get("/api/referrals").status_code == 401
    # The liaison sees what it needs to act, not the case.
    assert client.get(f"/api/cases/{decided_case.pk}", headers=lara.auth).status_code == 404


def test_bad_referrals_are_refused(people, client, platforms, decided_case, make_report):
    undecided = case_of(make_report(None, text="Another claim about voter cards in Mombasa."))
    field, message = conflict(refer(client, people.secretariat, undecided))
    assert field is None and "decided" in message
    undecided.refresh_from_db()
    assert undecided.status != CaseStatus.DECIDED
    assert not Referral.objects.filter(case=undecided).exists()
    assert refer(client, people.secretariat, decided_case).status_code == 201
    field, message = conflict(refer(client, people.secretariat, decided_case))
    assert field == "recipient" and "already referred" in message
    wrong_kind = refer(client, people.secretariat, decided_case, recipient="ukweli")
    assert "referrals go to platforms" in field_errors(wrong_kind)["recipient"]
    unknown = refer(client, people.secretariat, decided_case, recipient="nowhere")
    assert "nowhere" in field_errors(unknown)["recipient"]
    action = refer(
        client, people.secretariat, decided_case, recipient="tokplat", requested_action="nuke"
    )
    assert list(field_errors(action)) == ["requested_action"]
    # Bob was shown the case as a reviewer, but only the owner's secretariat refers it; a
    # liaison cannot see the case at all.
    assert refer(client, people.bob, decided_case, recipient="tokplat").status_code == 403
    assert refer(client, platforms[1], decided_case, recipient="tokplat").status_code == 404
    assert refer(client, None, decided_case, recipient="tokplat").status_code == 401
    assert Referral.objects.count() == 1


def test_the_liaison_answers_and_the_clocks_run_in_utc(people, client, platforms, decided_case):
    lara, tom = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    sent = datetime.now(UTC) - timedelta(hours=6)
    Referral.objects.update(sent_at=sent)
    acknowledged = (sent + timedelta(hours=1)).astimezone(UTC).replace(tzinfo=None)
    # The liaison writes in Nairobi time (+03:00).
    stamp = (acknowledged + timedelta(hours=3)).isoformat() + "+03:00"
    assert (
        respond(client, lara, referral_id, kind="acknowledged", responded_at=stamp).status_code
        == 201
    )
    actioned = (sent + timedelta(hours=5)).isoformat()
    done = respond(
        client,
        lara,
        referral_id,
        kind="actioned",
        responded_at=actioned,
        decision_visibility="DECISION_VISIBILITY_CONTENT_REMOVED",
    )
    assert done.status_code == 201
    body = client.get(f"/api/referrals/{referral_id}", headers=people.secretariat.auth).json()
    assert body["seconds_to_acknowledge"] == pytest.approx(3600, abs=1)
    assert body["seconds_to_action"] == pytest.approx(5 * 3600, abs=1)
    assert (
        respond(client, tom, referral_id, kind="acknowledged", responded_at=actioned).status_code
        == 404
    )


def test_clocks_across_a_daylight_saving_change(people, client, platforms, decided_case):
    lara, _ = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    # Sent at 00:30 UTC on the night Europe moves its clocks forward (01:00 UTC, 2026-03-29).
    sent = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    Referral.objects.update(sent_at=sent, due_at=sent + timedelta(hours=24))
    # Paris answers at 04:30 local summer time (+02:00): 02:30 UTC, two hours later —
    # not three, as naive wall-clock arithmetic (01:30 CET → 04:30 CEST) would say.
    respond(
        client,
        lara,
        referral_id,
        kind="actioned",
        responded_at="2026-03-29T04:30:00+02:00",
        decision_visibility="DECISION_VISIBILITY_CONTENT_LABELLED",
    )
    body = client.get(f"/api/referrals/{referral_id}", headers=lara.auth).json()
    assert body["seconds_to_action"] == 2 * 3600


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"kind": "actioned", "decision_visibility": "DECISION_VISIBILITY_VAPORISED"},
            "decision_visibility",
        ),
        ({"kind": "actioned"}, "decision_visibility"),
        ({"kind": "declined"}, "reason"),
        (
            {"kind": "acknowledged", "decision_account": "DECISION_ACCOUNT_SUSPENDED"},
            "decision_visibility",
        ),
    ],
)
def test_bad_responses_are_refused_by_field(
    people, client, platforms, decided_case, changes, field
):
    lara, _ = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    now = datetime.now(UTC).isoformat()
    response = respond(client, lara, referral_id, responded_at=now, **changes)
    assert list(field_errors(response)) == [field]
    assert not Response.objects.exists()


def test_a_response_cannot_predate_the_referral_or_lie_in_the_future(
    people, client, platforms, decided_case
):
    lara, _ = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    sent = Referral.objects.get().sent_at
    for moment in (sent - timedelta(minutes=1), datetime.now(UTC) + timedelta(days=1)):
        response = respond(
            client, lara, referral_id, kind="acknowledged", responded_at=moment.isoformat()
        )
        assert list(field_errors(response)) == ["responded_at"]
    naive = respond(
        client, lara, referral_id, kind="acknowledged", responded_at="2026-11-24T10:00:00"
    )
    assert list(field_errors(naive)) == ["responded_at"]  # a time without its zone is ambiguous
    assert not Response.objects.exists()


def test_the_secretariat_records_an_answer_received_by_other_channels(
    people, client, platforms, decided_case
):
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    now = datetime.now(UTC).isoformat()
    response = respond(
        client, people.secretariat, referral_id, kind="declined", responded_at=now, reason="Satire."
    )
    assert response.status_code == 201
    recorded = Response.objects.get(referral_id=referral_id)
    assert recorded.kind == "declined" and recorded.reason == "Satire."
    assert recorded.recorded_by == people.secretariat.member.user
    assert Referral.objects.get(pk=referral_id).is_overdue is False


def test_an_unanswered_referral_past_its_deadline_is_overdue(
    people, client, platforms, decided_case
):
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    Referral.objects.update(due_at=datetime.now(UTC) - timedelta(minutes=1))
    body = client.get(f"/api/referrals/{referral_id}", headers=people.secretariat.auth).json()
    assert body["overdue"] is True


def test_the_notice_uses_the_dsa_field_names(people, client, platforms, decided_case):
    lara, tom = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    notice = client.get(f"/api/referrals/{referral_id}/notice", headers=lara.auth).json()
    assert notice["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert (
        notice["category"] == "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"
    )
    assert notice["urls"] == [POST] and notice["territorial_scope"] == ["KE"]
    assert notice["schema_version"] == "1"
    assert client.get(f"/api/referrals/{referral_id}/notice", headers=tom.auth).status_code == 404


def test_overdue_referrals_get_a_daily_reminder(people, client, platforms, decided_case, placed):
    from baraza.accountability.tasks import remind_overdue_referrals

    refer(client, people.secretariat, decided_case)
    mail.outbox.clear()
    with placed():
        assert remind_overdue_referrals.call_local() == 0  # not overdue yet
    Referral.objects.update(due_at=datetime.now(UTC) - timedelta(hours=2))
    with placed():
        assert remind_overdue_referrals.call_local() == 1
        assert remind_overdue_referrals.call_local() == 0  # once a day at most
    assert [m.to for m in mail.outbox] == [["lara@metaplat.example"]]
    assert "Overdue referral" in mail.outbox[0].subject
    assert Referral.objects.get().reminders == 1
    assert AuditEvent.objects.filter(action="accountability.reminder_sent").count() == 1
