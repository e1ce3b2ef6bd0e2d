"""Steps of the end-to-end tipline tests that are not about any one provider."""

from __future__ import annotations

from typing import Any

from baraza.cases.models import Case
from baraza.channels.models import InboundMessage
from baraza.intake.models import Report
from baraza.review.tests.helpers import assess, assign, case_of
from baraza.review.tests.test_decide_case import decide


def chat_report(provider: str) -> Report:
    """The one report the provider's messages made so far."""
    reports = Report.objects.filter(chat_messages__provider=provider).distinct()
    assert reports.count() == 1, list(reports)
    return reports.get()


def decide_case_of(report: Report, people: Any, client: Any, **decision: Any) -> Case:
    """Three reviewers of three organisations assess the report's case; the secretariat
    decides it (commit hooks run, so chat reporters are told at once in tests)."""
    case = case_of(report)
    for reviewer in (people.alice, people.bob, people.carol):
        assign(client, people.secretariat, case, reviewer)
        assess(client, reviewer, case)
    response = decide(client, people.secretariat, case, **decision)
    assert response.status_code == 201, response.content
    return case


def messages_of(provider: str) -> list[InboundMessage]:
    return list(InboundMessage.objects.filter(provider=provider).order_by("pk"))
