from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field, HttpUrl, field_validator

from baraza.review.markdown import render_markdown
from baraza.review.models import (
    Action,
    Appeal,
    Assessment,
    Assignment,
    BridgingScore,
    Decision,
    Outcome,
    Term,
)


class TermOut(Schema):
    scheme: str
    code: str
    label: str
    definition: str
    parent: str | None
    active: bool
    source: str

    @staticmethod
    def resolve_parent(term: Term) -> str | None:
        return term.parent.code if term.parent else None


class AssignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reviewer: str | None = Field(
        None, max_length=254, description="the reviewer's email; leave out to take the case"
    )


class AssignmentOut(Schema):
    id: int
    case_id: int
    reviewer: str
    organisation: str
    picked: bool
    created_at: datetime
    due_at: datetime
    overdue: bool

    @staticmethod
    def resolve_overdue(assignment: Assignment) -> bool:
        return assignment.is_overdue

    @staticmethod
    def resolve_reviewer(assignment: Assignment) -> str:
        return assignment.reviewer.email

    @staticmethod
    def resolve_organisation(assignment: Assignment) -> str:
        return assignment.organisation.slug

    @staticmethod
    def resolve_picked(assignment: Assignment) -> bool:
        return assignment.assigned_by_id is None


class AssessmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    verdict: str = Field(max_length=80)
    severity: str = Field(max_length=80)
    categories: list[str] = Field(default_factory=list, max_length=20)
    techniques: list[str] = Field(default_factory=list, max_length=50)
    rationale: str = Field(min_length=1, max_length=20_000)
    evidence: list[HttpUrl] = Field(default_factory=list, max_length=20)
    confidence: int = Field(ge=1, le=5, description="1 (a guess) to 5 (certain)")
    supersedes: int | None = Field(None, description="your assessment this one corrects")

    @field_validator("rationale")
    @classmethod
    def rationale_says_something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give the reasons for your verdict")
        return value


class AssessmentOut(Schema):
    id: int
    case_id: int
    reviewer: str
    organisation: str
    verdict: str
    severity: str
    categories: list[str]
    techniques: list[str]
    rationale: str
    rationale_html: str
    evidence: list[str]
    confidence: int
    supersedes: int | None
    superseded: bool
    created_at: datetime

    @staticmethod
    def resolve_reviewer(assessment: Assessment) -> str:
        return assessment.reviewer.email

    @staticmethod
    def resolve_organisation(assessment: Assessment) -> str:
        return assessment.organisation.slug

    @staticmethod
    def resolve_verdict(assessment: Assessment) -> str:
        return assessment.verdict.code

    @staticmethod
    def resolve_severity(assessment: Assessment) -> str:
        return assessment.severity.code

    @staticmethod
    def resolve_categories(assessment: Assessment) -> list[str]:
        return [term.code for term in assessment.categories.all()]

    @staticmethod
    def resolve_techniques(assessment: Assessment) -> list[str]:
        return [term.code for term in assessment.techniques.all()]

    @staticmethod
    def resolve_rationale_html(assessment: Assessment) -> str:
        return render_markdown(assessment.rationale)

    @staticmethod
    def resolve_supersedes(assessment: Assessment) -> int | None:
        return assessment.supersedes_id

    @staticmethod
    def resolve_superseded(assessment: Assessment) -> bool:
        return hasattr(assessment, "superseded_by")


class SimpleConsensusOut(Schema):
    assessments: int
    organisations: int
    ready: bool
    verdicts: dict[str, float]
    leading: str | None
    agreement: float


class BridgingOut(Schema):
    verdict: str
    intercept: float
    factor: float
    raters: int
    bridged: bool

    @staticmethod
    def resolve_verdict(score: BridgingScore) -> str:
        return score.verdict.code


class ConsensusOut(Schema):
    case_id: int
    simple: SimpleConsensusOut
    bridging: list[BridgingOut]
    bridging_computed_at: datetime | None


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    verdict: str | None = Field(None, max_length=80)
    severity: str | None = Field(None, max_length=80)
    categories: list[str] = Field(default_factory=list, max_length=20)
    dsa_category: str | None = Field(None, max_length=80)
    actions: list[Action] = Field(default_factory=list, max_length=5)
    public_reasons: str = Field(min_length=1, max_length=20_000)
    private_notes: str = Field("", max_length=20_000)
    override_reason: str = Field("", max_length=2000)

    @field_validator("public_reasons")
    @classmethod
    def reasons_say_something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give the public reasons for the decision")
        return value


class DecisionOut(Schema):
    id: int
    case_id: int
    outcome: str
    verdict: str | None
    severity: str | None
    categories: list[str]
    dsa_category: str | None
    actions: list[str]
    public_reasons: str
    public_reasons_html: str
    decided_at: datetime
    overridden: bool
    replaces: int | None

    @staticmethod
    def resolve_verdict(decision: Decision) -> str | None:
        return decision.verdict.code if decision.verdict else None

    @staticmethod
    def resolve_severity(decision: Decision) -> str | None:
        return decision.severity.code if decision.severity else None

    @staticmethod
    def resolve_categories(decision: Decision) -> list[str]:
        return [term.code for term in decision.categories.all()]

    @staticmethod
    def resolve_dsa_category(decision: Decision) -> str | None:
        return decision.dsa_category.code if decision.dsa_category else None

    @staticmethod
    def resolve_public_reasons_html(decision: Decision) -> str:
        return render_markdown(decision.public_reasons)

    @staticmethod
    def resolve_decided_at(decision: Decision) -> datetime:
        return decision.created_at

    @staticmethod
    def resolve_overridden(decision: Decision) -> bool:
        return bool(decision.override_reason)

    @staticmethod
    def resolve_replaces(decision: Decision) -> int | None:
        return decision.replaces_id


class DecisionForOwnerOut(DecisionOut):
    """What the deciding secretariat sees besides the public part."""

    private_notes: str
    override_reason: str


class AppealIn(Schema):
    model_config = ConfigDict(extra="forbid")

    grounds: str = Field(min_length=1, max_length=10_000)
    tracking_code: str | None = Field(
        None, max_length=32, description="a reporter's tracking code (without a member token)"
    )

    @field_validator("grounds")
    @classmethod
    def grounds_say_something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("say why the decision should change")
        return value


class AppealOut(Schema):
    id: int
    case_id: int
    decision_id: int
    status: str
    by_reporter: bool
    created_at: datetime
    decided_at: datetime | None
    outcome_decision_id: int | None

    @staticmethod
    def resolve_by_reporter(appeal: Appeal) -> bool:
        return appeal.filed_by_id is None

    @staticmethod
    def resolve_outcome_decision_id(appeal: Appeal) -> int | None:
        return appeal.outcome_id


class AppealDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    uphold: bool
    decision: DecisionIn | None = Field(None, description="the new decision, when not upheld")
    override_reason: str = Field("", max_length=2000)
