from baraza.audit.models import AuditEvent
from baraza.cases.models import Case, CaseReport
from baraza.cases.tests.claims import INK, SMS_EN
from baraza.testing import conflict, field_errors


def case_of(report):
    return CaseReport.objects.get(report=report).case


def assert_merged(source, target, *reports):
    """After a merge: the source points at the target, is closed, and its reports moved."""
    source.refresh_from_db()
    assert source.merged_into == target and source.status == "closed"
    for report in reports:
        assert CaseReport.objects.get(report=report).case == target


def assert_nothing_moved(source, target, source_reports, target_reports):
    """After a refused merge: both cases as they were, each report still in its own case."""
    for case, reports in ((source, source_reports), (target, target_reports)):
        status = case.status
        case.refresh_from_db()
        assert case.merged_into is None and case.status == status
        assert set(CaseReport.objects.filter(case=case).values_list("report", flat=True)) == {
            report.pk for report in reports
        }
    assert not AuditEvent.objects.filter(action="cases.merged").exists()


def merge(client, person, source, target):
    headers = person.auth if person else {}
    return client.post(
        f"/api/cases/{source.pk}/merge",
        {"into": target.pk},
        content_type="application/json",
        headers=headers,
    )


def test_the_secretariat_merges_two_cases_of_one_claim(people, client, make_report):
    first = make_report(None, text=SMS_EN, url="https://x.com/a/status/1")
    second = make_report(None, text=INK)
    source, target = case_of(second), case_of(first)
    response = merge(client, people.secretariat, source, target)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == target.pk
    assert {r["tracking_code"] for r in body["reports"]} == {
        first.display_code,
        second.display_code,
    }
    assert_merged(source, target, first, second)
    assert CaseReport.objects.get(report=second).reason == "merged"
    event = AuditEvent.objects.get(action="cases.merged")
    assert event.payload["from_case"] == source.pk
    assert event.payload["reports"] == [second.pk]


def test_the_merged_case_keeps_attracting_its_content(people, client, make_report):
    first = make_report(None, text=SMS_EN)
    second = make_report(None, text=INK, url="https://www.facebook.com/story.php?story_fbid=9&id=1")
    source, target = case_of(second), case_of(first)
    assert merge(client, people.secretariat, source, target).status_code == 200
    assert_merged(source, target, first, second)
    again = make_report(None, text="", url="https://m.facebook.com/story.php?story_fbid=9&id=1")
    assert case_of(again) == case_of(first)


def test_the_case_status_reaches_the_moved_reports(people, client, make_report):
    first = make_report(None, text=SMS_EN)
    second = make_report(None, text=INK)
    Case.objects.filter(pk=case_of(first).pk).update(status="triaged")
    assert merge(client, people.secretariat, case_of(second), case_of(first)).status_code == 200
    second.refresh_from_db()
    assert second.status == "triaged"


def test_a_reviewer_of_any_organisation_merges_green_cases(people, client, make_report):
    aminas = make_report(people.amina, text=SMS_EN, tlp="green")
    bobs = make_report(people.bob, text=INK, tlp="green")
    source, target = case_of(bobs), case_of(aminas)
    assert merge(client, people.carol, source, target).status_code == 200
    assert_merged(source, target, aminas, bobs)


def test_merging_green_into_clear_gives_a_green_case(people, client, make_report):
    clear = make_report(people.amina, text=SMS_EN, tlp="clear")
    green = make_report(people.amina, text=INK, tlp="green")
    source, target = case_of(green), case_of(clear)
    response = merge(client, people.alice, source, target)
    assert response.status_code == 200 and response.json()["tlp"] == "green"
    assert_merged(source, target, clear, green)
    target.refresh_from_db()
    assert target.tlp == "green"


def test_cases_of_two_audiences_are_never_merged(people, client, make_report):
    amber = make_report(people.amina, text=SMS_EN, tlp="amber")
    green = make_report(people.amina, text=INK, tlp="green")
    source, target = case_of(green), case_of(amber)
    field, message = conflict(merge(client, people.alice, source, target))
    assert field == "into" and "different audiences" in message
    assert_nothing_moved(source, target, [green], [amber])


def test_a_red_case_is_never_merged(people, client, make_report):
    red = make_report(people.alice, text=SMS_EN, tlp="red")
    other = make_report(people.alice, text=INK, tlp="red")
    source, target = case_of(other), case_of(red)
    field, message = conflict(merge(client, people.alice, source, target))
    assert field == "into" and "RED" in message
    assert_nothing_moved(source, target, [other], [red])


def test_another_organisation_cannot_merge_amber_cases_it_was_shown(people, client, make_report):
    first = make_report(people.amina, text=SMS_EN, tlp="amber")
    second = make_report(people.amina, text=INK, tlp="amber")
    for report in (first, second):
        case_of(report).shared_with.add(people.bob.organisation)
    source, target = case_of(second), case_of(first)
    assert merge(client, people.bob, source, target).status_code == 403
    assert_nothing_moved(source, target, [second], [first])


def test_an_amber_case_is_a_404_to_another_organisation(people, client, make_report):
    first = make_report(people.amina, text=SMS_EN, tlp="amber")
    second = make_report(people.amina, text=INK, tlp="amber")
    source, target = case_of(second), case_of(first)
    assert merge(client, people.bob, source, target).status_code == 404
    assert_nothing_moved(source, target, [second], [first])


def test_a_monitor_cannot_merge(people, client, make_report):
    first = make_report(people.amina, text=SMS_EN, tlp="green")
    second = make_report(people.amina, text=INK, tlp="green")
    source, target = case_of(second), case_of(first)
    assert merge(client, people.amina, source, target).status_code == 403
    assert_nothing_moved(source, target, [second], [first])


def test_anonymous_people_cannot_merge(people, client, make_report):
    first = make_report(people.amina, text=SMS_EN, tlp="clear")
    second = make_report(people.amina, text=INK, tlp="clear")
    source, target = case_of(second), case_of(first)
    assert merge(client, None, source, target).status_code == 401
    assert_nothing_moved(source, target, [second], [first])


def test_merging_into_a_case_you_cannot_see_names_the_field(people, client, make_report):
    mine = make_report(people.bob, text=SMS_EN, tlp="green")
    hidden = make_report(people.amina, text=INK, tlp="amber")
    source, target = case_of(mine), case_of(hidden)
    errors = field_errors(merge(client, people.bob, source, target))
    assert list(errors) == ["into"]
    assert_nothing_moved(source, target, [mine], [hidden])


def test_a_case_cannot_be_merged_twice_or_into_itself(people, client, make_report):
    first = make_report(None, text=SMS_EN)
    second = make_report(None, text=INK)
    target = case_of(first)
    field, message = conflict(merge(client, people.secretariat, target, target))
    assert field == "into" and "itself" in message
    target.refresh_from_db()
    assert target.merged_into is None and target.status == "new"
    source = case_of(second)
    assert merge(client, people.secretariat, source, target).status_code == 200
    assert_merged(source, target, first, second)
    field, message = conflict(merge(client, people.secretariat, source, target))
    assert field == "into" and "already merged" in message
    assert_merged(source, target, first, second)
    assert AuditEvent.objects.filter(action="cases.merged").count() == 1
