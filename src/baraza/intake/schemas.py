from __future__ import annotations

from datetime import datetime

from ninja import Schema

from baraza.intake.models import Report


class SubmittedOut(Schema):
    tracking_code: str
    status: str


class StatusOut(Schema):
    """All a tracking code reveals: the report's own status and public outcome."""

    tracking_code: str
    status: str
    status_label: str
    public_outcome: str


class ReportOut(Schema):
    tracking_code: str
    text: str
    url: str
    platform: str
    country: str
    language: str
    category: str
    election: str | None
    channel: str
    tlp: str
    organisation: str
    status: str
    has_contact: bool
    case_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_tracking_code(report: Report) -> str:
        return report.display_code

    @staticmethod
    def resolve_election(report: Report) -> str | None:
        return report.election.slug if report.election else None

    @staticmethod
    def resolve_organisation(report: Report) -> str:
        return report.organisation.slug

    @staticmethod
    def resolve_case_id(report: Report) -> int | None:
        link = getattr(report, "case_link", None)
        return link.case_id if link else None


class ContactOut(Schema):
    tracking_code: str
    contact: str


class RejectedRowOut(Schema):
    row: int
    field: str
    message: str


class ImportOut(Schema):
    created: int
    duplicates: int
    rejected_count: int
    rejected: list[RejectedRowOut]
