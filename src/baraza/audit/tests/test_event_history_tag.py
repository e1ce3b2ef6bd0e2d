"""`{% event_history events %}`: the history list shared by the case, review and referral pages."""

from datetime import UTC, datetime

from django.template import Context, Template
from django.utils.translation import override

from baraza.audit.models import AuditEvent
from baraza.cases.events import CaseEvent
from baraza.review.events import ReviewEvent

TEMPLATE = Template("{% load audit_tags %}{% event_history history %}")


def render(history, language="en"):
    with override(language):
        return TEMPLATE.render(Context({"history": history}))


def events():
    at = datetime(2026, 12, 10, 9, 5, tzinfo=UTC)
    return [
        AuditEvent(
            action=CaseEvent.STATUS_CHANGED,
            created_at=at,
            payload={"from": "new", "to": "triaged", "note": ""},
        ),
        AuditEvent(
            action=ReviewEvent.CASE_ASSIGNED,
            created_at=at,
            payload={"organisation": "sauti", "picked": False, "due_at": "2026-12-12T14:00:00Z"},
        ),
        AuditEvent(action="legacy.unknown_code", created_at=at, payload={}),
    ]


def test_it_lists_each_event_with_its_time_and_words_in_order(people):
    html = render(events())
    assert html.count("<li>") == 3
    assert "<li>12/10/2026 9:05 a.m. — Status changed: New → Triaged</li>" in html
    assert "Reviewer assigned: Sauti Civic Watch, due 12 December 2026 14:00 UTC" in html
    assert html.index("Status changed") < html.index("Reviewer assigned")
    assert "legacy.unknown_code" in html  # an undeclared old row shows its code
    assert "review.case_assigned" not in html


def test_it_lists_the_events_in_french(people):
    html = render(events(), "fr")
    assert "Statut modifié : Nouveau → Trié" in html
    assert "Examinateur désigné : Sauti Civic Watch, échéance le 12 décembre 2026 14:00 UTC" in html


def test_an_empty_or_missing_history_says_so():
    assert "Nothing recorded yet." in render([])
    with override("en"):  # not whatever language an earlier test in this process left active
        missing = Template("{% load audit_tags %}{% event_history nothing %}").render(Context({}))
    assert "Nothing recorded yet." in missing
    assert "Rien n'a encore été enregistré." in render([], "fr")


def test_it_escapes_what_a_person_wrote():
    note = AuditEvent(
        action=CaseEvent.STATUS_CHANGED,
        created_at=datetime(2026, 12, 10, tzinfo=UTC),
        payload={"from": "new", "to": "triaged", "note": "<script>alert(1)</script>"},
    )
    html = render([note])
    assert "<script>" not in html and "&lt;script&gt;" in html
