from baraza.audit.models import AuditEvent
from baraza.cases.models import CaseReport, CaseSuggestion
from baraza.cases.tests.claims import INK, RESIGNED_EN, SMS_EN
from baraza.testing import conflict, field_errors

POST = "https://x.com/someone/status/12345"


def case_of(report):
    return CaseReport.objects.get(report=report).case


def split(client, person, case, *reports):
    return client.post(
        f"/api/cases/{case.pk}/split",
        {"reports": [getattr(r, "display_code", r) for r in reports]},
        content_type="application/json",
        headers=person.auth if person else {},
    )


def two_report_case(make_report, by=None, tlp="amber"):
    first = make_report(by, text=SMS_EN, url=POST, tlp=tlp)
    second = make_report(by, text=INK, url=POST, tlp=tlp)  # same post: same case
    assert case_of(first) == case_of(second)
    return first, second


def test_the_secretariat_moves_a_report_into_a_new_case(people, client, make_report):
    first, second = two_report_case(make_report)
    old = case_of(first)
    response = split(client, people.secretariat, old, second)
    assert response.status_code == 201
    body = response.json()
    assert [r["tracking_code"] for r in body["reports"]] == [second.display_code]
    assert body["id"] != old.pk and body["tlp"] == old.tlp
    assert case_of(first) == old
    assert CaseReport.objects.get(report=second).reason == "split"
    event = AuditEvent.objects.get(action="cases.split")
    assert event.payload == {"to_case": body["id"], "reports": [second.pk]}


def test_split_cases_are_remembered_as_different_claims(people, client, make_report, settings):
    settings.CLUSTER_AUTO_LINK = 0.99
    first = make_report(None, text=SMS_EN, url=POST)
    second = make_report(None, text=INK, url=POST)
    new_id = split(client, people.secretariat, case_of(first), second).json()["id"]
    assert CaseSuggestion.objects.filter(
        case_id=new_id, candidate=case_of(first), status="rejected"
    ).exists()


def test_content_only_the_moved_reports_had_goes_with_them(people, client, make_report):
    first, second = two_report_case(make_report)
    new_id = split(client, people.secretariat, case_of(first), second).json()["id"]
    same_words = make_report(None, text=INK)
    same_post = make_report(None, text="", url=POST)
    assert case_of(same_words).pk == new_id
    assert case_of(same_post) == case_of(first)  # both had the post; it stays


def test_a_split_must_leave_a_report_behind(people, client, make_report):
    first, second = two_report_case(make_report)
    response = split(client, people.secretariat, case_of(first), first, second)
    field, message = conflict(response)
    assert field == "reports" and "leave at least one report" in message
    assert case_of(first) == case_of(second)
    assert not AuditEvent.objects.filter(action="cases.split").exists()


def test_naming_a_report_of_another_case_is_refused_by_field(people, client, make_report):
    first, _ = two_report_case(make_report)
    elsewhere = make_report(None, text=RESIGNED_EN, url="https://t.me/news/9")
    for named in (elsewhere, "NOT-A-CODE"):
        response = split(client, people.secretariat, case_of(first), named)
        assert list(field_errors(response)) == ["reports"], named
    assert CaseReport.objects.filter(case=case_of(first)).count() == 2
    assert case_of(elsewhere) != case_of(first)
    assert not AuditEvent.objects.filter(action="cases.split").exists()


def test_another_organisation_cannot_split_an_amber_case(people, client, make_report):
    first, second = two_report_case(make_report, by=people.amina)
    assert split(client, people.bob, case_of(first), second).status_code == 404
    assert case_of(first) == case_of(second)
    case_of(first).shared_with.add(people.bob.organisation)
    second.shared_with.add(people.bob.organisation)
    assert split(client, people.bob, case_of(first), second).status_code == 403
    assert case_of(first) == case_of(second)


def test_anonymous_people_and_monitors_cannot_split(people, client, make_report):
    first, second = two_report_case(make_report, by=people.amina, tlp="green")
    assert split(client, None, case_of(first), second).status_code == 401
    assert split(client, people.amina, case_of(first), second).status_code == 403
    assert case_of(first) == case_of(second)
    assert split(client, people.alice, case_of(first), second).status_code == 201
    assert case_of(first) != case_of(second)
