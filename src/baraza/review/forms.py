"""Review forms for the web pages: the API's schemas validate them, then the same actions run.

A form's fields read the page's input and offer the choices; the rules (how many categories,
how long a rationale, what a link is) are the schema's (`review.schemas`), so the pages and the
API can never disagree. `SchemaForm.clean()` validates through the schema and puts its errors on
the fields they name."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import ValidationError

from baraza.pages import validation_message
from baraza.review.actions import AssessmentInput, DecisionInput
from baraza.review.models import Action, Outcome, Term
from baraza.review.schemas import AppealIn, AssessmentIn, DecisionIn


def _choices(scheme: str) -> list[tuple[str, str]]:
    return [(t.code, f"{t.code} · {t.label}" if scheme == "severity" else t.label)
            for t in Term.objects.active().filter(scheme=scheme)]  # fmt: skip


def _codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,;]+", text.strip()) if code]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SchemaForm(forms.Form):
    """A form validated by a pydantic schema: `schema_data()` turns the cleaned fields into the
    schema's input; `validated` holds the schema's result once the form is valid."""

    schema: ClassVar[type[Schema]]
    validated: Any = None

    def schema_data(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            self.validated = self.schema.model_validate(self.schema_data(cleaned))
        except ValidationError as error:
            for problem in error.errors():
                name = str(problem["loc"][0]) if problem["loc"] else None
                field = name if name in self.fields else None
                # A field the form already refused (missing, not a choice) keeps its own error.
                if field is None or field not in self.errors:
                    self.add_error(field, validation_message(problem))
        return cleaned


class AssessmentForm(SchemaForm):
    schema = AssessmentIn

    verdict = forms.ChoiceField(label=_("Verdict"))
    severity = forms.ChoiceField(label=_("Severity"))
    categories = forms.MultipleChoiceField(
        label=_("Harm categories"), required=False, widget=forms.CheckboxSelectMultiple
    )
    techniques = forms.CharField(
        label=_("DISARM techniques (ids, e.g. T0002 T0085.001)"), required=False
    )
    rationale = forms.CharField(
        label=_("Rationale (Markdown)"), widget=forms.Textarea(attrs={"rows": 6})
    )
    evidence = forms.CharField(
        label=_("Evidence links, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], initial=3
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = _choices("verdict")  # type: ignore[attr-defined]
        self.fields["severity"].choices = _choices("severity")  # type: ignore[attr-defined]
        self.fields["categories"].choices = _choices("category")  # type: ignore[attr-defined]

    def schema_data(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        data = {
            "verdict": cleaned.get("verdict"),
            "severity": cleaned.get("severity"),
            "categories": list(cleaned.get("categories") or []),
            "techniques": _codes(cleaned.get("techniques") or ""),
            "rationale": cleaned.get("rationale"),
            "evidence": _lines(cleaned.get("evidence") or ""),
            "confidence": cleaned.get("confidence"),
        }
        return {name: value for name, value in data.items() if value is not None}

    def to_input(self, supersedes: int | None = None) -> AssessmentInput:
        validated: AssessmentIn = self.validated
        return validated.to_input(supersedes=supersedes)


class DecisionForm(SchemaForm):
    schema = DecisionIn

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    verdict = forms.ChoiceField(label=_("Verdict"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("Harm categories"), required=False, widget=forms.CheckboxSelectMultiple
    )
    dsa_category = forms.ChoiceField(label=_("DSA category"), required=False)
    actions = forms.MultipleChoiceField(
        label=_("Recommended actions"),
        required=False,
        choices=Action.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    public_reasons = forms.CharField(
        label=_("Public reasons (Markdown)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    private_notes = forms.CharField(
        label=_("Private notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    override_reason = forms.CharField(
        label=_("Why decide without enough assessments (only if so)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["verdict"].choices = blank + _choices("verdict")  # type: ignore[attr-defined]
        self.fields["severity"].choices = blank + _choices("severity")  # type: ignore[attr-defined]
        self.fields["categories"].choices = _choices("category")  # type: ignore[attr-defined]
        self.fields["dsa_category"].choices = blank + _choices("dsa_category")  # type: ignore[attr-defined]

    def schema_data(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        data = {
            "outcome": cleaned.get("outcome"),
            "verdict": cleaned.get("verdict") or None,
            "severity": cleaned.get("severity") or None,
            "categories": list(cleaned.get("categories") or []),
            "dsa_category": cleaned.get("dsa_category") or None,
            "actions": list(cleaned.get("actions") or []),
            "public_reasons": cleaned.get("public_reasons"),
            "private_notes": cleaned.get("private_notes", ""),
            "override_reason": cleaned.get("override_reason", ""),
        }
        return {name: value for name, value in data.items() if value is not None}

    def to_input(self) -> DecisionInput:
        validated: DecisionIn = self.validated
        return validated.to_input()


class AppealForm(SchemaForm):
    schema = AppealIn

    tracking_code = forms.CharField(label=_("Your tracking code"), required=False)
    grounds = forms.CharField(
        label=_("Why should the decision change?"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def schema_data(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        data = {
            "grounds": cleaned.get("grounds"),
            "tracking_code": cleaned.get("tracking_code") or None,
        }
        return {name: value for name, value in data.items() if value is not None}
