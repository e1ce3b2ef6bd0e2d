from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from baraza.audit.models import AuditEvent
from baraza.cases.models import Case, CaseStatus
from baraza.cases.queries import SuggestedLink
from baraza.intake.models import Category, Platform
from baraza.intake.schemas import ReportOut
from baraza.tlp import TLP


class CaseFields(Schema):
    id: int = Field(description="the case's number")
    status: CaseStatus = Field(description="where the case is: new → triaged → in_review → ...")
    category: Category = Field(description="the kind of harm, from the report that opened it")
    platform: Platform = Field(description="where the content was seen")
    country: str = Field(description="ISO 3166-1 alpha-2 code of the country concerned")
    language: str = Field(description="BCP 47 primary language subtag; empty when unknown")
    election: str | None = Field(description="the election's slug, when one was named")
    tlp: TLP = Field(description="who may see the case: the TLP of its reports")
    priority: float = Field(
        description="triage priority (higher first): the harm's severity, its spread and the "
        "election calendar, recomputed hourly"
    )
    created_at: datetime = Field(description="when the case was opened")
    updated_at: datetime = Field(description="when the case last changed")

    @staticmethod
    def resolve_election(case: Case) -> str | None:
        return case.election.slug if case.election else None


class CaseSummaryOut(CaseFields):
    """A case in the queue."""

    report_count: int = Field(description="how many of the case's reports you may see")

    @staticmethod
    def resolve_report_count(case: Case) -> int:
        return int(getattr(case, "visible_reports", 0))


class TimelineEventOut(Schema):
    """One step of a case's history, from the audit log."""

    at: datetime = Field(description="when it happened")
    action: str = Field(description="what happened: an audit event type, e.g. cases.status_changed")
    actor_organisation: str | None = Field(
        description="slug of the organisation of whoever acted; null for the system or the public"
    )
    details: dict[str, object] = Field(
        description="the event's recorded details (ids and values, never report text)"
    )

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
    """Another case that may be the same claim, for a reviewer to confirm or reject."""

    id: int = Field(description="the suggestion's id, for resolve_case_suggestion")
    case_id: int = Field(description="the other case")
    similarity: float = Field(description="cosine similarity of the two cases' closest reports")

    @staticmethod
    def resolve_case_id(link: SuggestedLink) -> int:
        return link.other_case.pk


class CaseOut(CaseFields):
    """A case with the reports, suggestions and history you may see."""

    merged_into: int | None = Field(
        description="the case this one was merged into (it is then closed); null otherwise"
    )
    reports: list[ReportOut] = Field(description="the case's reports that you may see")
    suggestions: list[SuggestionOut] = Field(
        description="pending suggested links to other cases you may see, closest first"
    )
    timeline: list[TimelineEventOut] = Field(description="the case's history, oldest first")

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

    organisations: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="slugs of organisations to share with (TLP:AMBER cases)",
    )
    people: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="e-mail addresses of members to share with (TLP:RED cases)",
    )


class StatusChangeIn(Schema):
    status: CaseStatus = Field(description="the status to move the case to")
    note: str = Field("", description="why, for the case's history (the first 500 characters)")
