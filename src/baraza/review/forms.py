"""Review forms for the web pages: the same checks as the API, then the same actions."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from baraza.review.actions import AssessmentInput, DecisionInput
from baraza.review.models import Action, Outcome, Term


def _choices(scheme: str) -> list[tuple[str, str]]:
    return [(t.code, f"{t.code} · {t.label}" if scheme == "severity" else t.label)
            for t in Term.objects.active().filter(scheme=scheme)]  # fmt: skip


def _codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,;]+", text.strip()) if code]


class AssessmentForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"))
    severity = forms.ChoiceField(label=_("Severity"))
    categories = forms.MultipleChoiceField(
        label=_("Harm categories"), required=False, widget=forms.CheckboxSelectMultiple
    )
    techniques = forms.CharField(
        label=_("DISARM techniques (ids, e.g. T0002 T0085.001)"), required=False, max_length=1000
    )
    rationale = forms.CharField(
        label=_("Rationale (Markdown)"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000
    )
    evidence = forms.CharField(
        label=_("Evidence links, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], initial=3
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = _choices("verdict")  # type: ignore[attr-defined]
        self.fields["severity"].choices = _choices("severity")  # type: ignore[attr-defined]
        self.fields["categories"].choices = _choices("category")  # type: ignore[attr-defined]

    def clean_rationale(self) -> str:
        value: str = self.cleaned_data["rationale"]
        if not value.strip():
            raise ValidationError(_("Give the reasons for your verdict."))
        return value

    def clean_evidence(self) -> list[str]:
        links = [
            line.strip() for line in self.cleaned_data["evidence"].splitlines() if line.strip()
        ]
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            validate(link)
        if len(links) > 20:
            raise ValidationError(_("At most 20 links."))
        return links

    def to_input(self, supersedes: int | None = None) -> AssessmentInput:
        data = self.cleaned_data
        return AssessmentInput(
            verdict=data["verdict"],
            severity=data["severity"],
            categories=list(data["categories"]),
            techniques=_codes(data["techniques"]),
            rationale=data["rationale"],
            evidence=data["evidence"],
            confidence=data["confidence"],
            supersedes=supersedes,
        )


class DecisionForm(forms.Form):
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
        label=_("Public reasons (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
    )
    private_notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
    )
    override_reason = forms.CharField(
        label=_("Why decide without enough assessments (only if so)"),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "—")]
        self.fields["verdict"].choices = blank + _choices("verdict")  # type: ignore[attr-defined]
        self.fields["severity"].choices = blank + _choices("severity")  # type: ignore[attr-defined]
        self.fields["categories"].choices = _choices("category")  # type: ignore[attr-defined]
        self.fields["dsa_category"].choices = blank + _choices("dsa_category")  # type: ignore[attr-defined]

    def clean_public_reasons(self) -> str:
        value: str = self.cleaned_data["public_reasons"]
        if not value.strip():
            raise ValidationError(_("Give the public reasons for the decision."))
        return value

    def to_input(self) -> DecisionInput:
        data = self.cleaned_data
        return DecisionInput(
            outcome=data["outcome"],
            public_reasons=data["public_reasons"],
            verdict=data["verdict"] or None,
            severity=data["severity"] or None,
            categories=list(data["categories"]),
            dsa_category=data["dsa_category"] or None,
            actions=list(data["actions"]),
            private_notes=data["private_notes"],
            override_reason=data["override_reason"],
        )


class AppealForm(forms.Form):
    tracking_code = forms.CharField(label=_("Your tracking code"), required=False, max_length=32)
    grounds = forms.CharField(
        label=_("Why should the decision change?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
    )
