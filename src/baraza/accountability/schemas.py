from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, Field, HttpUrl

from baraza.accountability.models import Referral, Response, ResponseKind


class ReferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    recipient: str = Field(max_length=64, description="the recipient organisation's slug")
    requested_action: str = Field(max_length=32)
    evidence: list[HttpUrl] = Field(default_factory=list, max_length=20)
    note: str = Field("", max_length=5000)


class ResponseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ResponseKind
    responded_at: AwareDatetime = Field(description="with its time zone, e.g. +03:00")
    decision_visibility: str = Field("", max_length=64)
    decision_account: str = Field("", max_length=64)
    reason: str = Field("", max_length=5000)


class ResponseOut(Schema):
    id: int
    kind: str
    decision_visibility: str
    decision_account: str
    reason: str
    responded_at: datetime
    recorded_at: datetime


class ReferralOut(Schema):
    id: int
    case_id: int
    recipient: str
    requested_action: str
    evidence: list[str]
    note: str
    content_urls: list[str]
    reasons: str
    sent_at: datetime | None
    due_at: datetime | None
    overdue: bool
    seconds_to_acknowledge: float | None
    seconds_to_action: float | None
    responses: list[ResponseOut]

    @staticmethod
    def resolve_recipient(referral: Referral) -> str:
        return referral.recipient.slug

    @staticmethod
    def resolve_content_urls(referral: Referral) -> list[str]:
        """What the recipient needs to act: the content's addresses, not the reports."""
        return referral.content_urls()

    @staticmethod
    def resolve_reasons(referral: Referral) -> str:
        return referral.decision.public_reasons

    @staticmethod
    def resolve_overdue(referral: Referral) -> bool:
        return referral.is_overdue

    @staticmethod
    def resolve_seconds_to_acknowledge(referral: Referral) -> float | None:
        value = referral.time_to_acknowledge
        return value.total_seconds() if value is not None else None

    @staticmethod
    def resolve_seconds_to_action(referral: Referral) -> float | None:
        value = referral.time_to_action
        return value.total_seconds() if value is not None else None

    @staticmethod
    def resolve_responses(referral: Referral) -> list[Response]:
        return list(referral.responses.all())
