"""The whole review through the web pages: assign, assess, decide, appeal, decide again."""

from baraza.cases.models import Case
from baraza.conftest import PASSWORD, _person
from baraza.review.models import Appeal, Assessment, Assignment, Decision
from baraza.review.tests.helpers import case_of

ASSESSMENT = {
    "verdict": "false",
    "severity": "3",
    "categories": ["voter_suppression"],
    "techniques": "T0002",
    "rationale": "The commission's notice says 5pm.",
    "evidence": "https://commission.example/notice",
    "confidence": "4",
}
DECISION = {
    "outcome": "verdict",
    "verdict": "false",
    "severity": "3",
    "categories": ["voter_suppression"],
    "actions": ["refer_platform"],
    "public_reasons": "Polls close at 5pm.",
    "private_notes": "Known network.",
}


def log_in(client, person):
    client.logout()
    assert client.login(username=person.member.user.email, password=PASSWORD)


def test_a_case_goes_from_new_to_re_decided_entirely_through_the_pages(people, client, make_report):
    report = make_report(None, tlp="clear")
    case = case_of(report)
    log_in(client, people.secretariat)
    page = client.get(f"/review/cases/{case.pk}/").content.decode()
    assert "Assign a reviewer" in page
    for person in (people.alice, people.bob, people.carol):
        email = person.member.user.email
        client.post(f"/review/cases/{case.pk}/assign/", {"reviewer": email})
    assert Assignment.objects.filter(case=case).count() == 3
    for person in (people.alice, people.bob, people.carol):
        log_in(client, person)
        assert "Your assessment" in client.get(f"/review/cases/{case.pk}/").content.decode()
        response = client.post(f"/review/cases/{case.pk}/assess/", ASSESSMENT)
        assert response.status_code == 302
    assert Assessment.objects.filter(case=case).count() == 3
    page = client.get(f"/review/cases/{case.pk}/").content.decode()
    assert "Consensus" in page and "enough to decide" in page
    log_in(client, people.secretariat)
    assert client.post(f"/review/cases/{case.pk}/decide/", DECISION).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "decided"
    # The reporter appeals from the public page, with the tracking code.
    client.logout()
    public = client.get(f"/decisions/{case.pk}/").content.decode()
    assert "Appeal this decision" in public and "Known network." not in public
    client.post(
        f"/decisions/{case.pk}/appeal/",
        {"tracking_code": report.display_code, "grounds": "The notice was withdrawn."},
    )
    assert Appeal.objects.get().status == "pending"
    panel = [
        _person("ukweli", "reviewer", "dan@ukweli.example"),
        _person("sauti", "reviewer", "eve@sauti.example"),
    ]
    log_in(client, people.secretariat)
    for person in panel:
        client.post(f"/review/cases/{case.pk}/assign/", {"reviewer": person.member.user.email})
    for person in panel:
        log_in(client, person)
        client.post(
            f"/review/cases/{case.pk}/assess/", {**ASSESSMENT, "verdict": "missing_context"}
        )
    log_in(client, people.secretariat)
    assert "Decide the appeal" in client.get(f"/review/cases/{case.pk}/").content.decode()
    client.post(
        f"/review/cases/{case.pk}/decide/",
        {
            **DECISION,
            "verdict": "missing_context",
            "public_reasons": "Withdrawn notice.",
            "override_reason": "Two of three panel members answered before voting day.",
        },
    )
    assert Appeal.objects.get().status == "replaced"
    assert Decision.objects.count() == 2
    assert "Earlier decisions" in client.get(f"/decisions/{case.pk}/").content.decode()


def test_other_assessments_stay_hidden_on_the_page_until_you_give_yours(
    people, client, make_report
):
    case = case_of(make_report(None, tlp="green"))
    log_in(client, people.secretariat)
    for person in (people.bob, people.carol):
        client.post(f"/review/cases/{case.pk}/assign/", {"reviewer": person.member.user.email})
    log_in(client, people.bob)
    client.post(f"/review/cases/{case.pk}/assess/", {**ASSESSMENT, "rationale": "BOB'S REASONS"})
    log_in(client, people.carol)
    assert "BOB&#x27;S REASONS" not in client.get(f"/review/cases/{case.pk}/").content.decode()
    client.post(f"/review/cases/{case.pk}/assess/", ASSESSMENT)
    assert "BOB&#x27;S REASONS" in client.get(f"/review/cases/{case.pk}/").content.decode()


def test_a_bad_assessment_form_is_shown_again_with_its_errors(people, client, make_report):
    case = case_of(make_report(None, tlp="green"))
    log_in(client, people.bob)
    client.post(f"/review/cases/{case.pk}/assign/")  # takes the case
    response = client.post(
        f"/review/cases/{case.pk}/assess/", {**ASSESSMENT, "evidence": "not a link"}
    )
    assert response.status_code == 422
    assert "Enter a valid URL" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_review_page_is_closed_to_other_organisations_and_anonymous_people(
    people, client, make_report
):
    case = case_of(make_report(None, tlp="amber"))
    assert client.get(f"/review/cases/{case.pk}/").status_code == 302  # to log in
    assert client.post(f"/review/cases/{case.pk}/assign/").status_code == 302
    log_in(client, people.bob)
    assert client.get(f"/review/cases/{case.pk}/").status_code == 404
    assert client.post(f"/review/cases/{case.pk}/assess/", ASSESSMENT).status_code == 404
    assert client.post(f"/review/cases/{case.pk}/decide/", DECISION).status_code == 404
    assert not Assignment.objects.exists() and not Decision.objects.exists()


def test_a_reviewer_cannot_decide_from_the_page(people, client, make_report):
    case = case_of(make_report(None, tlp="green"))
    log_in(client, people.bob)
    assert "Record the decision" not in client.get(f"/review/cases/{case.pk}/").content.decode()
    assert client.post(f"/review/cases/{case.pk}/decide/", DECISION).status_code == 403
    assert not Decision.objects.exists()


def test_the_review_queue_flags_overdue_cases_first(people, client, make_report):
    from datetime import timedelta

    from django.utils import timezone

    calm = case_of(make_report(None, tlp="green", text="A calm claim about ballot paper colours."))
    late = case_of(make_report(None, tlp="green", text="A late claim about polling hours in Kano."))
    log_in(client, people.secretariat)
    for case in (calm, late):
        client.post(f"/review/cases/{case.pk}/assign/", {"reviewer": "bob@sauti.example"})
    Assignment.objects.filter(case=late).update(due_at=timezone.now() - timedelta(hours=1))
    log_in(client, people.carol)  # any member sees the green cases waiting
    html = client.get("/review/cases/").content.decode()
    assert html.index(f"/review/cases/{late.pk}/") < html.index(f"/review/cases/{calm.pk}/")
    assert html.count("<strong>overdue</strong>") == 1


def test_the_review_queue_hides_other_organisations_amber_cases(people, client, make_report):
    case = case_of(make_report(None, tlp="amber"))
    log_in(client, people.bob)
    assert f"/review/cases/{case.pk}/" not in client.get("/review/cases/").content.decode()
    client.logout()
    assert client.get("/review/cases/").status_code == 302
