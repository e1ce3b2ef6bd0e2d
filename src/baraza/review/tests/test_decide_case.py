"""From assessments to a decision, its public page and its ClaimReview export."""

import json

import pytest

from baraza.audit.models import AuditEvent
from baraza.cases.models import Case
from baraza.intake.models import Report
from baraza.matching.claimreview import FactCheckIn, read_file
from baraza.review.models import Decision
from baraza.review.tests.helpers import assess, assign, case_of
from baraza.testing import conflict, field_errors

DECISION = {
    "outcome": "verdict",
    "verdict": "false",
    "severity": "3",
    "categories": ["voter_suppression"],
    "dsa_category": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "actions": ["refer_platform", "publish_correction"],
    "public_reasons": "Polls close at **5pm**, as the commission's notice says.",
    "private_notes": "The account is linked to a known network.",
}


def decide(client, person, case, **changes):
    return client.post(
        f"/api/cases/{case.pk}/decision",
        {**DECISION, **changes},
        content_type="application/json",
        headers=person.auth if person else {},
    )


def assert_decided(response, case, public_reasons=DECISION["public_reasons"]):
    """The decision was taken: a 201, its row, the case decided, its reports told the outcome."""
    assert response.status_code == 201, response.content
    decision = Decision.objects.get(pk=response.json()["id"])
    assert decision.case_id == case.pk and decision.public_reasons == public_reasons
    assert Case.objects.get(pk=case.pk).status == "decided"
    for report in Report.objects.filter(case_link__case=case):
        assert (report.status, report.public_outcome) == ("decided", public_reasons)
    return decision


@pytest.fixture
def reviewed(people, client, make_report):
    """A clear case assessed by three reviewers of three organisations."""

    def make(tlp="clear"):
        report = make_report(None, tlp=tlp, url="https://x.com/someone/status/42")
        case = case_of(report)
        for reviewer in (people.alice, people.bob, people.carol):
            assert assign(client, people.secretariat, case, reviewer).status_code == 201
            assert assess(client, reviewer, case).status_code == 201
        return case

    return make


def test_the_secretariat_decides_a_reviewed_case(people, client, reviewed):
    case = reviewed()
    response = decide(client, people.secretariat, case)
    assert_decided(response, case)
    body = response.json()
    assert (body["outcome"], body["verdict"], body["overridden"]) == ("verdict", "false", False)
    assert body["private_notes"] == DECISION["private_notes"]
    assert Case.objects.get(pk=case.pk).status == "decided"
    report = Report.objects.get(case_link__case=case)
    assert (report.status, report.public_outcome) == ("decided", DECISION["public_reasons"])
    assert AuditEvent.objects.get(action="review.case_decided").payload["assessments"] == 3


def test_without_enough_assessments_the_secretariat_must_say_why(people, client, make_report):
    case = case_of(make_report(None))
    assign(client, people.secretariat, case, people.bob)
    assess(client, people.bob, case)
    field, message = conflict(decide(client, people.secretariat, case))
    assert field == "override_reason" and "fewer than required" in message
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "in_review"
    overridden = decide(
        client, people.secretariat, case, override_reason="Voting is tomorrow; no time."
    )
    decision = assert_decided(overridden, case)
    assert overridden.json()["overridden"] is True
    assert decision.override_reason == "Voting is tomorrow; no time."
    assert AuditEvent.objects.get(action="review.case_decided").payload["override"] is True


def test_bad_decisions_are_refused_with_no_change(people, client, reviewed):
    case = reviewed()
    for changes, field in (
        ({"verdict": "probably"}, "verdict"),
        ({"verdict": None}, "verdict"),
        ({"dsa_category": "STATEMENT_CATEGORY_NONSENSE"}, "dsa_category"),
        ({"public_reasons": "  "}, "public_reasons"),
        ({"actions": ["burn_it_down"]}, "actions"),
    ):
        response = decide(client, people.secretariat, case, **changes)
        field_errors(response)  # a 422, located on the field (a list's, on its item: actions.0)
        assert all(field in error["loc"] for error in response.json()["detail"]), changes
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "in_review"
    assert Report.objects.get(case_link__case=case).public_outcome == ""


def test_a_case_is_decided_once(people, client, reviewed):
    case = reviewed()
    first = assert_decided(decide(client, people.secretariat, case), case)
    _, message = conflict(decide(client, people.secretariat, case, public_reasons="Again."))
    assert "cannot be decided" in message
    assert list(Decision.objects.all()) == [first]
    assert Report.objects.get(case_link__case=case).public_outcome == DECISION["public_reasons"]


def test_only_the_owners_secretariat_decides(people, client, reviewed):
    case = reviewed()
    assert decide(client, people.bob, case).status_code == 403
    assert decide(client, None, case).status_code == 401
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=case.pk).status == "in_review"


def test_a_clear_decision_is_public_without_its_private_notes(people, client, reviewed):
    case = reviewed()
    assert_decided(decide(client, people.secretariat, case), case)
    public = client.get(f"/api/cases/{case.pk}/decision")
    assert public.status_code == 200
    assert public.json()["verdict"] == "false"
    assert "private_notes" not in public.json()
    assert (
        "private_notes"
        not in client.get(f"/api/cases/{case.pk}/decision", headers=people.bob.auth).json()
    )
    page = client.get(f"/decisions/{case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>5pm</strong>" in html
    assert DECISION["private_notes"] not in html


def test_an_amber_decision_is_hidden_from_other_organisations_and_the_public(
    people, client, make_report
):
    case = case_of(make_report(None, tlp="amber"))
    assign(client, people.secretariat, case, people.bob)
    assess(client, people.bob, case)
    assert_decided(decide(client, people.secretariat, case, override_reason="urgent"), case)
    assert client.get(f"/api/cases/{case.pk}/decision").status_code == 404
    assert (
        client.get(f"/api/cases/{case.pk}/decision", headers=people.carol.auth).status_code == 404
    )
    assert client.get(f"/api/cases/{case.pk}/decision", headers=people.bob.auth).status_code == 200
    assert client.get(f"/decisions/{case.pk}/").status_code == 404
    assert client.get(f"/api/cases/{case.pk}/decision/claimreview").status_code == 404


def test_an_undecided_case_has_no_decision(people, client, make_report):
    case = case_of(make_report(None, tlp="clear"))
    assert client.get(f"/api/cases/{case.pk}/decision").status_code == 404
    assert client.get(f"/decisions/{case.pk}/").status_code == 404


def test_the_claimreview_export_reads_back_with_its_required_fields(
    people, client, reviewed, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "baraza.example"]
    case = reviewed()
    assert_decided(decide(client, people.secretariat, case), case)
    response = client.get(
        f"/api/cases/{case.pk}/decision/claimreview", headers={"host": "baraza.example"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = response.json()
    assert document["@type"] == "ClaimReview"
    assert document["reviewRating"]["alternateName"] == "False"
    assert document["url"].endswith(f"/decisions/{case.pk}/")
    # Read back by the importer fact-checkers' files go through: every field it needs is there.
    [(_, fields)] = list(read_file("export.json", json.dumps(document).encode()))
    assert not isinstance(fields, str), fields  # a record, not a rejection
    factcheck = FactCheckIn.model_validate(fields)
    assert factcheck.claim == Report.objects.get(case_link__case=case).text
    assert factcheck.rating == "False"
    assert factcheck.author == people.secretariat.organisation.name
    assert factcheck.url == document["url"]
    assert factcheck.appearances == ["https://x.com/someone/status/42"]
