"""The review pages' forms validate through the API's schemas: one rule, one message, both ways."""

import pytest
from django.utils import translation
from pydantic import ValidationError

from baraza.review.forms import AssessmentForm, DecisionForm
from baraza.review.models import Term
from baraza.review.schemas import AssessmentIn, DecisionIn
from baraza.review.tests.helpers import ASSESSMENT, assess, case_of
from baraza.testing import field_errors

FORM = {
    "verdict": "false",
    "severity": "3",
    "categories": ["voter_suppression"],
    "techniques": "T0002",
    "rationale": "The commission's notice says 5pm.",
    "evidence": "https://commission.example/notice",
    "confidence": "4",
}
DECISION_FORM = {
    "outcome": "verdict",
    "verdict": "false",
    "severity": "3",
    "public_reasons": "The commission's notice says 5pm.",
}


@pytest.fixture
def many_categories(db):
    codes = [f"extra_{n}" for n in range(21)]
    Term.objects.bulk_create(Term(scheme="category", code=code, label=code) for code in codes)
    return codes


def _schema_limit(schema, data, field):
    """The limit the API's schema refuses `field` with (from pydantic's error context)."""
    with pytest.raises(ValidationError) as refused:
        schema.model_validate(data)
    [problem] = [e for e in refused.value.errors() if str(e["loc"][0]) == field]
    return problem["ctx"]["max_length"]


def test_the_assessment_form_refuses_21_categories_at_the_schemas_limit(many_categories):
    form = AssessmentForm(data={**FORM, "categories": many_categories})
    assert not form.is_valid()
    limit = _schema_limit(AssessmentIn, {**ASSESSMENT, "categories": many_categories},
                          "categories")  # fmt: skip
    assert limit == 20
    assert form.errors["categories"] == ["At most 20, please."]


def test_the_decision_form_refuses_21_categories_at_the_schemas_limit(many_categories):
    form = DecisionForm(data={**DECISION_FORM, "categories": many_categories})
    assert not form.is_valid()
    data = {"outcome": "verdict", "public_reasons": "x", "categories": many_categories}
    limit = _schema_limit(DecisionIn, data, "categories")
    assert form.errors["categories"] == [f"At most {limit}, please."]


def test_the_form_says_the_schemas_limit_in_french(many_categories):
    with translation.override("fr"):
        form = AssessmentForm(data={**FORM, "categories": many_categories})
        assert not form.is_valid()
        assert form.errors["categories"] == ["20 au plus, s'il vous plaît."]


def test_the_form_and_the_api_refuse_the_same_over_long_rationale(people, client, make_report):
    rationale = "x" * 20_001
    form = AssessmentForm(data={**FORM, "rationale": rationale})
    assert not form.is_valid()
    response = assess(client, people.bob, case_of(make_report(None)), rationale=rationale)
    assert "20000" in field_errors(response)["rationale"]
    assert form.errors["rationale"] == ["At most 20000 characters, please."]


def test_the_form_and_the_api_refuse_the_same_bad_link(people, client, make_report):
    form = AssessmentForm(data={**FORM, "evidence": "https://fine.example/a\nnot a link"})
    assert not form.is_valid()
    response = assess(client, people.bob, case_of(make_report(None)), evidence=["not a link"])
    [error] = response.json()["detail"]
    assert error["loc"][-2:] == ["evidence", 0]
    assert error["msg"].endswith("Enter a valid URL.")
    assert form.errors["evidence"] == ["not a link: Enter a valid URL."]


def test_a_valid_form_gives_the_action_what_the_api_would(db):
    form = AssessmentForm(data=FORM)
    assert form.is_valid(), form.errors
    assert (
        form.to_input()
        == AssessmentIn.model_validate({**ASSESSMENT, "rationale": FORM["rationale"]}).to_input()
    )
    decision = DecisionForm(data={**DECISION_FORM, "actions": ["refer_platform"]})
    assert decision.is_valid(), decision.errors
    assert decision.to_input().actions == ["refer_platform"]
    assert decision.to_input().dsa_category is None
