"""A new report joins the case of the same content, or opens one."""

from unittest import mock

import pytest
from django.db import IntegrityError

from baraza.audit.models import AuditEvent
from baraza.cases import actions
from baraza.cases.actions import do_place_report
from baraza.cases.models import Case, CaseReport


def case_of(report):
    return Case.objects.get(links__report=report)


def test_a_report_opens_a_case_and_waits_for_triage(people, make_report):
    report = make_report(people.amina)
    case = case_of(report)
    assert case.status == "new"
    assert (case.category, case.platform, case.country) == ("voter_suppression", "whatsapp", "KE")
    assert report.status == "new"
    assert CaseReport.objects.get(report=report).reason == "opened"


def test_the_same_text_joins_the_same_case_whatever_the_case_and_punctuation(people, make_report):
    first = make_report(None, text="Ballot boxes already stuffed in Nakuru, see photo.")
    second = make_report(None, text="BALLOT BOXES ALREADY STUFFED IN NAKURU — see photo!!")
    assert case_of(first) == case_of(second)
    assert CaseReport.objects.get(report=second).reason == "text"


@pytest.mark.parametrize(
    "variant",
    [
        "https://m.facebook.com/KenyaVoterNews/posts/123?utm_source=whatsapp",
        "http://www.facebook.com/KenyaVoterNews/posts/123/",
        "https://FACEBOOK.com/KenyaVoterNews/posts/123#comments",
    ],
)
def test_the_same_post_under_another_url_joins_the_same_case(people, make_report, variant):
    first = make_report(None, text="", url="https://www.facebook.com/KenyaVoterNews/posts/123")
    second = make_report(None, text="", url=variant)
    assert case_of(first) == case_of(second)
    assert CaseReport.objects.get(report=second).reason == "url"


def test_green_reports_from_several_organisations_share_one_case(people, make_report):
    first = make_report(people.amina, tlp="green")
    second = make_report(people.bob, tlp="clear")
    assert case_of(first) == case_of(second)


@pytest.mark.parametrize(
    ("first_tlp", "second_by", "second_tlp"),
    [
        ("amber", "bob", "amber"),
        ("amber", "bob", "green"),
        ("green", "bob", "amber"),
        ("red", "alice", "red"),
        ("amber", None, "amber"),
    ],
)
def test_the_same_content_for_another_audience_opens_its_own_case(
    people, make_report, first_tlp, second_by, second_tlp
):
    """A case never mixes audiences, so seeing one never reveals a report one could not see."""
    first = make_report(people.alice, tlp=first_tlp)
    second_person = getattr(people, second_by) if second_by else None
    second = make_report(second_person, tlp=second_tlp)
    assert case_of(first) != case_of(second)


def test_different_content_opens_different_cases(people, make_report):
    first = make_report(people.amina, text="Polling stations close at noon in Kisumu.")
    second = make_report(people.amina, text="The commission chair was arrested last night.")
    assert case_of(first) != case_of(second)


def test_very_short_texts_do_not_group_unrelated_reports(people, make_report):
    first = make_report(people.amina, text="fake!")
    second = make_report(people.amina, text="Fake")
    assert case_of(first) != case_of(second)


def test_placing_a_report_twice_changes_nothing(people, make_report):
    report = make_report(people.amina)
    link = do_place_report(report)
    assert CaseReport.objects.filter(report=report).count() == 1
    assert do_place_report(report) == link


def test_placement_writes_one_audit_event_on_the_case(people, make_report):
    report = make_report(people.amina)
    events = AuditEvent.objects.filter(action="cases.report_placed")
    assert [(e.object_id, e.payload["report"]) for e in events] == [
        (str(case_of(report).pk), report.pk)
    ]


def test_a_lost_race_for_new_content_retries_and_joins_the_winners_case(people, make_report):
    winner = make_report(people.amina)
    loser = make_report(people.amina, text="Completely different words for the moment.")
    CaseReport.objects.filter(report=loser).delete()
    real_place = actions._place
    calls = []

    def lose_once(report, vector):
        calls.append(report.pk)
        if len(calls) == 1:
            raise IntegrityError("content_key_unique")
        return real_place(report, vector)

    with mock.patch.object(actions, "_place", side_effect=lose_once):
        link = do_place_report(loser)
    assert len(calls) == 2
    assert link.report == loser
    assert case_of(winner) != case_of(loser)


def test_a_report_without_a_language_gets_one_detected(people, make_report):
    report = make_report(None, text="Les bureaux de vote fermeront à 14h le jour du scrutin.")
    assert report.language == "fr"
    assert case_of(report).language == "fr"


def test_the_reporters_own_language_is_kept(people, make_report):
    report = make_report(None, text="Sannu, za a rufe rumfunan zabe da karfe biyu.", language="ha")
    assert report.language == "ha"
