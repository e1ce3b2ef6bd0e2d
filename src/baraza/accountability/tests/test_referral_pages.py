"""Referral pages: the secretariat refers from the case, the recipient's liaison answers from
the referral page; another platform, another organisation and anonymous people see nothing."""

from datetime import UTC, datetime, timedelta

from django.core import mail

from baraza.accountability.models import Referral, Response
from baraza.accountability.tests.helpers import POST, refer
from baraza.conftest import PASSWORD


def login(client, person):
    assert client.login(username=person.member.user.username, password=PASSWORD)
    return client


def form_refer(client, case, **changes):
    data = {"recipient": "metaplat", "requested_action": "remove", "evidence": "", "note": ""}
    return client.post(f"/referrals/case/{case.pk}/", {**data, **changes})


def form_respond(client, referral_id, **changes):
    data = {
        "kind": "actioned",
        "decision_visibility": "DECISION_VISIBILITY_CONTENT_REMOVED",
        "decision_account": "",
        "reason": "",
        "responded_at": "2026-03-29T03:30",
        "zone": "Europe/Dublin",
    }
    return client.post(f"/referrals/{referral_id}/respond/", {**data, **changes})


def test_the_secretariat_refers_a_decided_case_from_its_page(
    people, client, platforms, decided_case, placed
):
    login(client, people.secretariat)
    page = client.get(f"/referrals/case/{decided_case.pk}/")
    assert page.status_code == 200 and "Metaplat" in page.content.decode()
    with placed():
        sent = form_refer(client, decided_case, evidence="https://evidence.example/a\n")
    referral = Referral.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/referrals/{referral.pk}/"
    assert referral.evidence == ["https://evidence.example/a"]
    assert [m.to for m in mail.outbox] == [["lara@metaplat.example"]]
    # The review page links to the referrals once the case is decided.
    review = client.get(f"/review/cases/{decided_case.pk}/").content.decode()
    assert f"/referrals/case/{decided_case.pk}/" in review


def test_bad_referral_forms_name_the_field_and_keep_nothing(
    people, client, platforms, decided_case
):
    login(client, people.secretariat)
    bad_link = form_refer(client, decided_case, evidence="not a link")
    assert bad_link.status_code == 422 and "Not a web address" in bad_link.content.decode()
    assert form_refer(client, decided_case, recipient="ukweli").status_code == 422
    assert form_refer(client, decided_case).status_code == 302
    twice = form_refer(client, decided_case)
    assert twice.status_code == 409 and "already referred" in twice.content.decode()
    assert Referral.objects.count() == 1


def test_only_the_owners_secretariat_may_refer_from_the_page(
    people, client, platforms, decided_case
):
    lara, _tom = platforms
    login(client, people.bob)  # a reviewer of another organisation, shown the case
    assert form_refer(client, decided_case).status_code == 403
    login(client, lara)
    assert client.get(f"/referrals/case/{decided_case.pk}/").status_code == 404
    client.logout()
    anonymous = client.get(f"/referrals/case/{decided_case.pk}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert Referral.objects.count() == 0


def test_the_liaison_answers_on_the_page_in_their_own_time_zone(
    people, client, platforms, decided_case
):
    lara, _tom = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    # Sent at 00:30 UTC on the night Ireland moves to summer time (01:00 UTC, +01:00).
    Referral.objects.update(sent_at=datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    login(client, lara)
    listing = client.get("/referrals/").content.decode()
    assert f"/referrals/{referral_id}/" in listing
    page = client.get(f"/referrals/{referral_id}/").content.decode()
    assert POST in page and "Record your response" in page
    answered = form_respond(client, referral_id)
    assert answered.status_code == 302
    response = Response.objects.get()
    # 03:30 Irish summer time is 02:30 UTC: two hours after sending, not three.
    assert response.responded_at == datetime(2026, 3, 29, 2, 30, tzinfo=UTC)
    assert Referral.objects.get().time_to_action == timedelta(hours=2)


def test_other_platforms_other_organisations_and_anonymous_people_see_no_referral(
    people, client, platforms, decided_case
):
    _lara, tom = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    login(client, tom)
    assert f"/referrals/{referral_id}/" not in client.get("/referrals/").content.decode()
    assert client.get(f"/referrals/{referral_id}/").status_code == 404
    assert form_respond(client, referral_id).status_code == 404
    login(client, people.bob)
    assert client.get(f"/referrals/{referral_id}/").status_code == 404
    client.logout()
    assert client.get("/referrals/")["Location"].startswith("/login/")
    assert client.get(f"/referrals/{referral_id}/")["Location"].startswith("/login/")
    assert Response.objects.count() == 0


def test_bad_responses_on_the_page_name_the_field(people, client, platforms, decided_case):
    lara, _tom = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    Referral.objects.update(sent_at=datetime.now(UTC) - timedelta(hours=1))
    login(client, lara)
    zone = form_respond(client, referral_id, zone="Mars/Olympus")
    assert zone.status_code == 422 and "Unknown time zone" in zone.content.decode()
    early = form_respond(client, referral_id, responded_at="2020-01-01T10:00", zone="UTC")
    assert early.status_code == 422 and "before the referral was sent" in early.content.decode()
    declined = form_respond(
        client, referral_id, kind="declined", decision_visibility="", zone="UTC",
        responded_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    assert declined.status_code == 422 and "reason" in declined.content.decode()
    assert Response.objects.count() == 0


def test_the_secretariat_records_an_answer_that_came_by_email(
    people, client, platforms, decided_case
):
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    Referral.objects.update(sent_at=datetime.now(UTC) - timedelta(hours=1))
    login(client, people.secretariat)
    page = client.get(f"/referrals/{referral_id}/").content.decode()
    assert "received by another channel" in page
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    answered = form_respond(client, referral_id, kind="acknowledged", decision_visibility="",
                            responded_at=now, zone="UTC")  # fmt: skip
    assert answered.status_code == 302
    assert Response.objects.get().recorded_by == people.secretariat.member.user
