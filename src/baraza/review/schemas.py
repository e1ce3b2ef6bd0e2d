from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, field_validator

from baraza.review.actions import AssessmentInput, DecisionInput
from baraza.review.markdown import render_markdown
from baraza.review.models import (
    Action,
    Appeal,
    Assessment,
    Assignment,
    BridgingScore,
    Decision,
    Outcome,
    Scheme,
    Term,
)


# Verdicts, severities, categories, DISARM techniques and DSA categories are taxonomy terms:
# data the coalition's admins edit, not enums fixed in code. Their descriptions say where to
# read the allowed codes.
def _codes_of(scheme: Scheme, what: str) -> str:
    return f"{what}: a code from list_taxonomy?scheme={scheme.value} (GET /api/taxonomy)"


Code = Annotated[str, StringConstraints(max_length=80)]

_links = URLValidator(schemes=["http", "https"])


def _link(value: str) -> str:
    try:
        _links(value)
    except DjangoValidationError:
        raise ValueError(str(URLValidator.message)) from None
    return value


# The same rule for links as intake's (Django's URLValidator), and the same message on the
# pages and in the API.
Link = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_link)
]


class TermOut(Schema):
    """One entry of a taxonomy."""

    scheme: Scheme = Field(description="the taxonomy the term belongs to")
    code: str = Field(description="the term's stable code, as the API takes it (false, 3, T0023)")
    label: str = Field(description="the term's name")
    definition: str = Field(description="what the term means (severities: when it applies)")
    parent: str | None = Field(
        description="the parent term's code: a DISARM technique's tactic, or a sub-technique's "
        "technique"
    )
    active: bool = Field(description="false for a retired term, kept for old assessments")
    source: str = Field(description="where the term comes from (attribution)")

    @staticmethod
    def resolve_parent(term: Term) -> str | None:
        return term.parent.code if term.parent else None


class AssignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reviewer: str | None = Field(
        None, max_length=254, description="the reviewer's email; leave out to take the case"
    )


class AssignmentOut(Schema):
    """A reviewer's assignment to a case."""

    id: int = Field(description="the assignment's id")
    case_id: int = Field(description="the case to assess")
    reviewer: str = Field(description="the reviewer's e-mail address")
    organisation: str = Field(description="slug of the reviewer's organisation")
    picked: bool = Field(description="true when the reviewer took the case; false when assigned")
    created_at: datetime = Field(description="when the assignment was made")
    due_at: datetime = Field(description="when the assessment is due (by the case's category)")
    overdue: bool = Field(description="whether the assessment is late and the case still open")

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

    verdict: Code = Field(description=_codes_of(Scheme.VERDICT, "your verdict"))
    severity: Code = Field(description=_codes_of(Scheme.SEVERITY, "how harmful"))
    categories: list[Code] = Field(
        default_factory=list,
        max_length=20,
        description=_codes_of(Scheme.CATEGORY, "harm categories, each"),
    )
    techniques: list[Code] = Field(
        default_factory=list,
        max_length=50,
        description=_codes_of(Scheme.DISARM_TECHNIQUE, "DISARM techniques seen, each"),
    )
    rationale: str = Field(
        min_length=1, max_length=20_000, description="your reasons, in Markdown (shown as HTML)"
    )
    evidence: list[Link] = Field(
        default_factory=list, max_length=20, description="links that support the verdict"
    )
    confidence: int = Field(ge=1, le=5, description="1 (a guess) to 5 (certain)")
    supersedes: int | None = Field(None, description="your assessment this one corrects")

    @field_validator("rationale")
    @classmethod
    def rationale_says_something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Give the reasons for your verdict."))
        return value

    def to_input(self, supersedes: int | None = None) -> AssessmentInput:
        """What `do_submit_assessment` takes; `supersedes` overrides the field (pages)."""
        return AssessmentInput(
            verdict=self.verdict,
            severity=self.severity,
            categories=list(self.categories),
            techniques=list(self.techniques),
            rationale=self.rationale,
            evidence=list(self.evidence),
            confidence=self.confidence,
            supersedes=self.supersedes if supersedes is None else supersedes,
        )


class AssessmentOut(Schema):
    """One reviewer's assessment of a case. Immutable: a correction is a new assessment."""

    id: int = Field(description="the assessment's id")
    case_id: int = Field(description="the case assessed")
    reviewer: str = Field(description="the reviewer's e-mail address")
    organisation: str = Field(description="slug of the reviewer's organisation")
    verdict: str = Field(description=_codes_of(Scheme.VERDICT, "the verdict"))
    severity: str = Field(description=_codes_of(Scheme.SEVERITY, "the severity"))
    categories: list[str] = Field(description=_codes_of(Scheme.CATEGORY, "harm categories"))
    techniques: list[str] = Field(
        description=_codes_of(Scheme.DISARM_TECHNIQUE, "DISARM techniques")
    )
    rationale: str = Field(description="the reasons, in Markdown as written")
    rationale_html: str = Field(description="the reasons rendered to safe HTML")
    evidence: list[str] = Field(description="supporting links")
    confidence: int = Field(description="1 (a guess) to 5 (certain)")
    supersedes: int | None = Field(description="the assessment this one corrects, if any")
    superseded: bool = Field(description="true when a later assessment corrects this one")
    created_at: datetime = Field(description="when it was submitted")

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
    """Agreement counted with each organisation weighing the same."""

    assessments: int = Field(description="current (not superseded) assessments counted")
    organisations: int = Field(description="how many organisations they come from")
    ready: bool = Field(
        description="whether there are enough assessments and organisations for a decision"
    )
    verdicts: dict[str, float] = Field(
        description="each verdict code's share of the organisations' weight (0 to 1), largest first"
    )
    leading: str | None = Field(description="the verdict with the largest share; null if none")
    agreement: float = Field(description="the leading verdict's share, 0 to 1")


class BridgingOut(Schema):
    """A verdict's standing across viewpoints after the latest bridging fit."""

    verdict: str = Field(description=_codes_of(Scheme.VERDICT, "the verdict"))
    intercept: float = Field(
        description="the support left once what divides reviewers is explained (higher: "
        "more broadly supported)"
    )
    factor: float = Field(
        description="how much the support follows one faction (near 0: across viewpoints)"
    )
    raters: int = Field(description="reviewers who rated this case")
    bridged: bool = Field(
        description="whether the intercept clears the threshold and the factor stays small"
    )

    @staticmethod
    def resolve_verdict(score: BridgingScore) -> str:
        return score.verdict.code


class ConsensusOut(Schema):
    """How far a case's assessments agree, two ways."""

    case_id: int = Field(description="the case")
    simple: SimpleConsensusOut = Field(description="each organisation weighing the same")
    bridging: list[BridgingOut] = Field(
        description="verdict scores from the latest bridging fit; empty before the first fit"
    )
    bridging_computed_at: datetime | None = Field(
        description="when the latest bridging fit started; null if it never ran"
    )


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome = Field(
        description="no_action, out_of_scope, or verdict (then give verdict and severity)"
    )
    verdict: Code | None = Field(
        None, description=_codes_of(Scheme.VERDICT, "the verdict, for a verdict outcome")
    )
    severity: Code | None = Field(
        None, description=_codes_of(Scheme.SEVERITY, "the severity, for a verdict outcome")
    )
    categories: list[Code] = Field(
        default_factory=list,
        max_length=20,
        description=_codes_of(Scheme.CATEGORY, "harm categories, each"),
    )
    dsa_category: Code | None = Field(
        None,
        description=_codes_of(Scheme.DSA_CATEGORY, "the DSA statement-of-reasons category"),
    )
    actions: list[Action] = Field(
        default_factory=list, max_length=5, description="the actions the coalition recommends"
    )
    public_reasons: str = Field(
        min_length=1,
        max_length=20_000,
        description="the reasons, in Markdown: public for TLP:CLEAR cases and shown to reporters",
    )
    private_notes: str = Field(
        "", max_length=20_000, description="notes for the deciding secretariat only"
    )
    override_reason: str = Field(
        "",
        max_length=2000,
        description="why decide without the quorum of assessments (audited); empty otherwise",
    )

    @field_validator("public_reasons")
    @classmethod
    def reasons_say_something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Give the public reasons for the decision."))
        return value

    def to_input(self) -> DecisionInput:
        """What `do_decide_case` and `do_decide_appeal` take."""
        return DecisionInput(
            outcome=self.outcome,
            public_reasons=self.public_reasons,
            verdict=self.verdict,
            severity=self.severity,
            categories=list(self.categories),
            dsa_category=self.dsa_category,
            actions=[str(action) for action in self.actions],
            private_notes=self.private_notes,
            override_reason=self.override_reason,
        )


class DecisionOut(Schema):
    """A case's decision, as anyone who may see the case reads it."""

    id: int = Field(description="the decision's id")
    case_id: int = Field(description="the case decided")
    outcome: Outcome = Field(description="what was decided")
    verdict: str | None = Field(
        description=_codes_of(Scheme.VERDICT, "the verdict (null unless the outcome is verdict)")
    )
    severity: str | None = Field(
        description=_codes_of(Scheme.SEVERITY, "the severity (null unless a verdict)")
    )
    categories: list[str] = Field(description=_codes_of(Scheme.CATEGORY, "harm categories"))
    dsa_category: str | None = Field(
        description=_codes_of(Scheme.DSA_CATEGORY, "the DSA category, if given")
    )
    actions: list[Action] = Field(description="the actions the coalition recommends")
    public_reasons: str = Field(description="the public reasons, in Markdown as written")
    public_reasons_html: str = Field(description="the public reasons rendered to safe HTML")
    decided_at: datetime = Field(description="when the decision was recorded")
    overridden: bool = Field(description="whether it was made without the quorum of assessments")
    replaces: int | None = Field(
        description="the decision this one replaced on appeal; null for a first decision"
    )

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
    """A decision with what only the deciding secretariat sees besides the public part."""

    private_notes: str = Field(description="notes for the deciding secretariat only")
    override_reason: str = Field(
        description="why it was decided without the quorum; empty when it was not"
    )


class AppealIn(Schema):
    model_config = ConfigDict(extra="forbid")

    grounds: str = Field(
        min_length=1, max_length=10_000, description="why the decision should change"
    )
    tracking_code: str | None = Field(
        None, max_length=32, description="a reporter's tracking code (without a member token)"
    )

    @field_validator("grounds")
    @classmethod
    def grounds_say_something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Say why the decision should change."))
        return value


class AppealOut(Schema):
    """An appeal against a decision."""

    id: int = Field(description="the appeal's id")
    case_id: int = Field(description="the case")
    decision_id: int = Field(description="the decision appealed")
    status: Appeal.Status = Field(description="pending until decided; then upheld or replaced")
    by_reporter: bool = Field(description="true when a reporter filed it with a tracking code")
    created_at: datetime = Field(description="when it was filed")
    decided_at: datetime | None = Field(description="when it was decided; null while pending")
    outcome_decision_id: int | None = Field(
        description="the new decision when the appeal replaced it; null otherwise"
    )

    @staticmethod
    def resolve_by_reporter(appeal: Appeal) -> bool:
        return appeal.filed_by_id is None

    @staticmethod
    def resolve_outcome_decision_id(appeal: Appeal) -> int | None:
        return appeal.outcome_id


class AppealDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    uphold: bool = Field(description="true keeps the decision; false replaces it with `decision`")
    decision: DecisionIn | None = Field(None, description="the new decision, when not upheld")
    override_reason: str = Field(
        "",
        max_length=2000,
        description="why decide without the appeal panel's quorum (audited); empty otherwise",
    )
