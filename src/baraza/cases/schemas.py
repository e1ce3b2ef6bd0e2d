from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from baraza.audit.models import AuditEvent
from baraza.cases.models import Case
from baraza.cases.queries import SuggestedLink
from baraza.intake.schemas import ReportOut


class CaseFields(Schema):
    id: int
    status: str
    category: str
    platform: str
    country: str
    language: str
    election: str | None
    tlp: str
    priority: float
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_election(case: Case) -> str | None:
        return case.election.slug if case.election else None


class CaseSummaryOut(CaseFields):
    report_count: int

    @staticmethod
    def resolve_report_count(case: Case) -> int:
        return int(getattr(case, "visible_reports", 0))


class TimelineEventOut(Schema):
    at: datetime
    action: str
    actor_organisation: str | None
    details: dict[str, object]

    @staticmethod
    def resolve_at(event: AuditEvent) -> datetime:
        return event.created_at

    @staticmethod
    def resolve_actor_organisation(event: AuditEvent) -> str | None:
        return event.actor_organisation.slug if event.actor_organisation else None

    @staticmethod
    def resolve_details(event: AuditEvent) -> dict[str, object]:
        return dict(event.payload)


class SuggestionOut(Schema):
    id: int
    case_id: int
    similarity: float

    @staticmethod
    def resolve_case_id(link: SuggestedLink) -> int:
        return link.other_case.pk


class CaseOut(CaseFields):
    merged_into: int | None
    reports: list[ReportOut]
    suggestions: list[SuggestionOut]
    timeline: list[TimelineEventOut]

    @staticmethod
    def resolve_merged_into(case: Case) -> int | None:
        return case.merged_into_id


class MergeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    into: int = Field(description="the case that takes this case's reports")


class SplitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reports: list[str] = Field(
        min_length=1, max_length=500, description="tracking codes of the reports to move"
    )


class SuggestionAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    confirm: bool = Field(description="true merges the two cases; false remembers they differ")


class ShareIn(Schema):
    model_config = ConfigDict(extra="forbid")

    organisations: list[str] = Field(default_factory=list, max_length=50)
    people: list[str] = Field(default_factory=list, max_length=50)


class StatusChangeIn(Schema):
    status: str
    note: str = ""
