from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AwareDatetime, BeforeValidator, ConfigDict, Field, HttpUrl

from baraza.accountability.models import (
    DecisionAccount,
    DecisionVisibility,
    Referral,
    RequestedAction,
    Response,
    ResponseKind,
)


def _blank_is_none(value: object) -> object:
    return None if value == "" else value


# The DSA fields are blank unless a response restricts something: "" (as forms send it), null
# or leaving them out all mean "nothing". An optional enum, not `Enum | Literal[""]`, so that a
# wrong value is one error located on the field itself.
Visibility = Annotated[DecisionVisibility | None, BeforeValidator(_blank_is_none)]
AccountDecision = Annotated[DecisionAccount | None, BeforeValidator(_blank_is_none)]


class ReferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    recipient: str = Field(
        max_length=64,
        description="the recipient organisation's slug: a platform, election body, regulator, "
        "police or press council",
    )
    requested_action: RequestedAction = Field(description="what the recipient is asked to do")
    evidence: list[HttpUrl] = Field(
        default_factory=list, max_length=20, description="links the recipient should see"
    )
    note: str = Field("", max_length=5000, description="a note to the recipient")


class ResponseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: ResponseKind = Field(description="what the recipient answered")
    responded_at: AwareDatetime = Field(
        description="when the recipient answered, with its time zone, e.g. +03:00"
    )
    decision_visibility: Visibility = Field(
        None,
        description="for an actioned response: what was done to the content (the DSA "
        "Transparency Database's value); blank otherwise",
    )
    decision_account: AccountDecision = Field(
        None,
        description="for an actioned response: what was done to the account (DSA value); "
        "blank otherwise",
    )
    reason: str = Field(
        "", max_length=5000, description="the recipient's reasons; required when declined"
    )


class ResponseOut(Schema):
    """A recipient's answer to a referral. Never edited: a later answer is another response."""

    id: int = Field(description="the response's id")
    kind: ResponseKind = Field(description="what the recipient answered")
    decision_visibility: DecisionVisibility | Literal[""] = Field(
        description="what was done to the content (DSA value); empty when nothing"
    )
    decision_account: DecisionAccount | Literal[""] = Field(
        description="what was done to the account (DSA value); empty when nothing"
    )
    reason: str = Field(description="the recipient's reasons, if given")
    responded_at: datetime = Field(description="when the recipient answered")
    recorded_at: datetime = Field(description="when the answer was recorded in Baraza")


class ReferralOut(Schema):
    """A decided case referred to one recipient, with its clocks and answers."""

    id: int = Field(description="the referral's id")
    case_id: int = Field(description="the case referred")
    recipient: str = Field(description="slug of the recipient organisation")
    requested_action: RequestedAction = Field(description="what the recipient is asked to do")
    evidence: list[str] = Field(description="links given to the recipient")
    note: str = Field(description="the note to the recipient")
    content_urls: list[str] = Field(
        description="the reported content's addresses: what the recipient needs to act on"
    )
    reasons: str = Field(description="the decision's public reasons")
    sent_at: datetime | None = Field(
        description="when it was sent to the recipient (the clocks start); null if not yet"
    )
    due_at: datetime | None = Field(description="the answer is due by then (the SLA)")
    overdue: bool = Field(description="past due_at without an actioned or declined response")
    seconds_to_acknowledge: float | None = Field(
        description="from sending to the first answer of any kind; null until then"
    )
    seconds_to_action: float | None = Field(
        description="from sending to the first actioned response; null until then"
    )
    responses: list[ResponseOut] = Field(description="the recipient's answers, oldest first")

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
