"""Independence: nobody sees the others' assessments before giving their own."""

from baraza.conftest import _person
from baraza.review.tests.helpers import assess, assign, case_of


def listing(client, person, case):
    return client.get(f"/api/cases/{case.pk}/assessments", headers=person.auth if person else {})


def consensus(client, person, case):
    return client.get(f"/api/cases/{case.pk}/consensus", headers=person.auth if person else {})


def test_assessments_stay_hidden_until_you_have_submitted_yours(people, client, make_report):
    case = case_of(make_report(None, tlp="green"))
    for reviewer in (people.bob, people.carol):
        assign(client, people.secretariat, case, reviewer)
    assess(client, people.bob, case)
    refused = listing(client, people.carol, case)
    assert refused.status_code == 403
    assert "submitted your own" in refused.json()["detail"]
    assert consensus(client, people.carol, case).status_code == 403
    assess(client, people.carol, case, verdict="misleading")
    seen = listing(client, people.carol, case)
    assert seen.status_code == 200
    assert sorted(a["organisation"] for a in seen.json()) == ["gaskiya", "sauti"]


def test_the_deciding_secretariat_sees_every_assessment(people, client, make_report):
    case = case_of(make_report(None))
    assign(client, people.secretariat, case, people.bob)
    assess(client, people.bob, case)
    assert len(listing(client, people.secretariat, case).json()) == 1


def test_another_organisation_and_anonymous_people_see_nothing(people, client, make_report):
    case = case_of(make_report(None, tlp="amber"))
    assign(client, people.secretariat, case, people.bob)
    assess(client, people.bob, case)
    assert listing(client, people.carol, case).status_code == 404
    assert listing(client, None, case).status_code == 401


def test_two_organisations_agreeing_outweigh_two_people_of_one(people, client, make_report):
    dan = _person("ukweli", "reviewer", "dan@ukweli.example")
    case = case_of(make_report(None, tlp="green"))
    for reviewer in (people.alice, dan, people.bob):
        assign(client, people.secretariat, case, reviewer)
    assess(client, people.alice, case, verdict="misleading")
    assess(client, dan, case, verdict="misleading")
    assess(client, people.bob, case, verdict="false")
    simple = consensus(client, people.secretariat, case).json()["simple"]
    # Two Ukweli reviewers carry Ukweli's one vote between them.
    assert simple["verdicts"] == {"misleading": 0.5, "false": 0.5}
    assert (simple["assessments"], simple["organisations"], simple["ready"]) == (3, 2, True)


def test_a_case_is_not_ready_with_one_organisation(people, client, make_report):
    dan = _person("ukweli", "reviewer", "dan@ukweli.example")
    case = case_of(make_report(None, tlp="green"))
    for reviewer in (people.alice, dan):
        assign(client, people.secretariat, case, reviewer)
        assess(client, reviewer, case)
    simple = consensus(client, people.secretariat, case).json()["simple"]
    assert (simple["leading"], simple["agreement"], simple["ready"]) == ("false", 1.0, False)


def test_a_superseded_assessment_no_longer_counts(people, client, make_report):
    case = case_of(make_report(None, tlp="green"))
    assign(client, people.secretariat, case, people.bob)
    first = assess(client, people.bob, case).json()
    assess(client, people.bob, case, verdict="true", supersedes=first["id"])
    simple = consensus(client, people.bob, case).json()["simple"]
    assert simple["verdicts"] == {"true": 1.0}
    assert [a["superseded"] for a in listing(client, people.bob, case).json()] == [True, False]
