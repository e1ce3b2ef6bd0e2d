"""Triage priority: proportionate to risk, never to the size of the market."""

from datetime import date, timedelta

from django.utils import timezone

from baraza.cases.actions import refresh_priorities
from baraza.cases.models import Case
from baraza.cases.priority import Signals, priority
from baraza.intake.models import Election


def signals(**changes):
    base = {"category": "disinformation", "reports": 1, "reporters": 1, "texts": ("a claim",)}
    return Signals(**{**base, **changes})


def test_incitement_outranks_disinformation():
    assert priority(signals(category="incitement")) > priority(signals())


def test_more_reports_and_more_reporters_rank_higher():
    assert priority(signals(reports=10)) > priority(signals(reports=2)) > priority(signals())
    assert priority(signals(reports=4, reporters=3)) > priority(signals(reports=4))


def test_the_silence_period_and_the_last_week_weigh_most():
    voting = date(2027, 8, 10)
    far = signals(voting_day=voting, today=voting - timedelta(days=90))
    month = signals(voting_day=voting, today=voting - timedelta(days=20))
    week = signals(voting_day=voting, today=voting - timedelta(days=5))
    silence = signals(voting_day=voting, silence_start=date(2027, 8, 7), today=date(2027, 8, 8))
    assert priority(far) < priority(month) < priority(week) < priority(silence)


def test_a_vulnerable_group_named_in_any_listed_language_ranks_higher():
    assert priority(signals(texts=("Wanawake wasiende kupiga kura",))) > priority(signals())
    assert priority(signals(texts=("Candidates must keep women away",))) > priority(signals())


def test_a_hausa_case_never_sinks_below_an_english_one(people, make_report):
    english = make_report(
        None, text="The vote was moved to Monday, stay home on Sunday.", language="en", country="GH"
    )
    hausa = make_report(
        None, text="An dage zaben zuwa ranar Litinin, ku zauna a gida.", language="ha", country="NE"
    )
    assert Case.objects.get(links__report=english).priority == (
        Case.objects.get(links__report=hausa).priority
    )


def test_the_queue_puts_the_most_urgent_case_first(people, client, make_report):
    make_report(None, category="disinformation", text="A misleading chart about turnout.")
    urgent = make_report(
        None, category="incitement", text="Go and burn the tallying centre tonight."
    )
    items = client.get("/api/cases", headers=people.secretariat.auth).json()["items"]
    assert items[0]["id"] == Case.objects.get(links__report=urgent).pk
    assert items[0]["priority"] > items[1]["priority"]


def test_priorities_rise_as_voting_day_approaches(people, make_report):
    today = timezone.localdate()
    Election.objects.create(
        slug="gh-2027", name="Ghana", country="GH", voting_day=today + timedelta(days=60)
    )
    report = make_report(None, election="gh-2027")
    case = Case.objects.get(links__report=report)
    before = case.priority
    Election.objects.filter(slug="gh-2027").update(voting_day=today + timedelta(days=3))
    assert refresh_priorities(Case.objects.all()) == 1
    case.refresh_from_db()
    assert case.priority > before
