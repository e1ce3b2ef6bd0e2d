import pytest

from baraza.audit.models import AuditEvent
from baraza.cases.models import Case
from baraza.review.models import Assessment, ImmutableRecord
from baraza.review.tests.helpers import assess, assign, case_of
from baraza.testing import conflict, field_errors


@pytest.fixture
def assigned_case(people, client, make_report):
    case = case_of(make_report(None, tlp="amber"))
    assert assign(client, people.secretariat, case, people.bob).status_code == 201
    return case


def test_an_assigned_reviewer_submits_an_assessment(people, client, assigned_case):
    response = assess(client, people.bob, assigned_case)
    assert response.status_code == 201
    body = response.json()
    assert (body["verdict"], body["severity"], body["organisation"]) == ("false", "3", "sauti")
    assert body["categories"] == ["voter_suppression"] and body["techniques"] == ["T0002"]
    assert "<strong>official notice</strong>" in body["rationale_html"]
    assert AuditEvent.objects.filter(action="review.assessment_submitted").count() == 1


def test_the_rationale_is_shown_sanitised(people, client, assigned_case):
    body = assess(
        client, people.bob, assigned_case, rationale="<script>alert(1)</script> [x](javascript:1)"
    ).json()
    assert "<script>" not in body["rationale_html"]
    assert 'href="javascript' not in body["rationale_html"]


def test_a_reviewer_without_an_assignment_cannot_assess(people, client, make_report):
    case = case_of(make_report(people.bob, tlp="green"))
    assert assess(client, people.carol, case).status_code == 403
    assert not Assessment.objects.exists()


def test_assessing_twice_is_refused_but_a_correction_supersedes(people, client, assigned_case):
    first = assess(client, people.bob, assigned_case).json()
    twice = assess(client, people.bob, assigned_case, verdict="misleading")
    field, message = conflict(twice)
    assert field == "supersedes" and "already assessed" in message
    assert [a.pk for a in Assessment.objects.all()] == [first["id"]]
    correction = assess(
        client, people.bob, assigned_case, verdict="misleading", supersedes=first["id"]
    )
    assert correction.status_code == 201
    assert correction.json()["supersedes"] == first["id"]
    assert Assessment.objects.count() == 2  # both kept
    assert Assessment.objects.get(pk=first["id"]).verdict.code == "false"


def test_a_submitted_assessment_cannot_be_edited(people, client, assigned_case):
    assessment = Assessment.objects.get(pk=assess(client, people.bob, assigned_case).json()["id"])
    assessment.rationale = "rewritten"
    with pytest.raises(ImmutableRecord):
        assessment.save()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("verdict", "probably"),
        ("severity", "9"),
        ("categories", ["astrology"]),
        ("techniques", ["T9999"]),
    ],
)
def test_unknown_taxonomy_ids_are_refused_by_field(people, client, assigned_case, field, value):
    response = assess(client, people.bob, assigned_case, **{field: value})
    assert field_errors(response)[field].startswith("unknown ")
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "changes", [{"rationale": "   "}, {"confidence": 9}, {"evidence": ["not a link"]}]
)
def test_invalid_fields_are_a_422(people, client, assigned_case, changes):
    response = assess(client, people.bob, assigned_case, **changes)
    field_errors(response)  # a 422 located on the field (a list's, on its item: evidence.0)
    [field] = changes
    assert all(field in error["loc"] for error in response.json()["detail"])
    assert not Assessment.objects.exists()


def test_no_assessment_after_the_decision(people, client, assigned_case):
    Case.objects.filter(pk=assigned_case.pk).update(status="decided")
    _, message = conflict(assess(client, people.bob, assigned_case))
    assert "assessments are closed" in message
    assert not Assessment.objects.exists()


def test_other_organisations_and_anonymous_people_cannot_assess(people, client, assigned_case):
    assert assess(client, people.carol, assigned_case).status_code == 404
    assert assess(client, None, assigned_case).status_code == 401
    assert not Assessment.objects.exists()
