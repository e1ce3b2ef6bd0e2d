"""The bridging score on synthetic coalitions: a faction voting as a bloc cannot push a verdict
through alone; genuine agreement across factions does."""

import numpy as np
import pytest

from baraza.conftest import _person
from baraza.review.bridging import bridged, fit, ratings_from
from baraza.review.models import BridgingScore
from baraza.review.tests.helpers import assess, assign, case_of

FACTION_A = list(range(1, 11))
FACTION_B = list(range(11, 21))
POLARISED, AGREED, CAPTURED, BRIDGE, OUTVOTED = 0, 30, 100, 101, 102
VERDICTS = ["false", "misleading", "missing_context", "true", "unverifiable", "satire"]


def coalition():
    """(reviewer, case, verdict): 30 polarised cases (A says false, B says true), 10 cases
    everyone calls false, then the cases under test."""
    rows = []
    for case in range(POLARISED, POLARISED + 30):
        rows += [(r, case, "false") for r in FACTION_A] + [(r, case, "true") for r in FACTION_B]
    for case in range(AGREED, AGREED + 10):
        rows += [(r, case, "false") for r in FACTION_A + FACTION_B]
    rows += [(r, CAPTURED, "false") for r in FACTION_A]  # the whole bloc, nobody else
    rows += [(r, BRIDGE, "false") for r in FACTION_A[:3] + FACTION_B[:3]]
    rows += [(r, OUTVOTED, "false") for r in FACTION_A[:7]]
    rows += [(r, OUTVOTED, "true") for r in FACTION_B[:2]]
    return rows


def outcome(seed=0, extra=()):
    ratings = ratings_from([*coalition(), *extra], VERDICTS)
    result = fit(ratings, seed=seed)
    flags = bridged(result, 0.40, 0.50)
    return {key: bool(flags[i]) for i, key in enumerate(ratings.item_keys)}, ratings, result


def test_a_bloc_voting_alone_cannot_push_a_verdict_through():
    flags, _, _ = outcome()
    assert flags[(CAPTURED, "false")] is False
    assert flags[(OUTVOTED, "false")] is False  # seven of one bloc against two of the other


def test_three_reviewers_suffice_when_they_come_from_both_sides():
    across = [(1, 500, "false"), (12, 500, "false"), (5, 500, "false")]
    one_side = [(1, 501, "false"), (2, 501, "false"), (5, 501, "false")]
    flags, _, _ = outcome(extra=across + one_side)
    assert flags[(500, "false")] is True
    assert flags[(501, "false")] is False


def test_agreement_across_factions_is_bridged():
    flags, ratings, result = outcome()
    assert flags[(BRIDGE, "false")] is True  # three from each side, fewer than the bloc
    assert all(flags[(case, "false")] for case in range(AGREED, AGREED + 10))
    i = ratings.item_keys.index((BRIDGE, "false"))
    assert abs(result.item_factors[i]) < 0.1


def test_polarised_verdicts_are_explained_by_the_factor_not_bridged():
    flags, ratings, result = outcome()
    assert not flags[(POLARISED, "false")] and not flags[(POLARISED, "true")]
    i = ratings.item_keys.index((POLARISED, "false"))
    j = ratings.item_keys.index((POLARISED, "true"))
    assert np.sign(result.item_factors[i]) == -np.sign(result.item_factors[j])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reruns_agree(seed):
    first, _, fitted = outcome(seed=0)
    again, _, refitted = outcome(seed=0)
    other, _, _ = outcome(seed=seed)
    assert np.array_equal(fitted.item_intercepts, refitted.item_intercepts)
    assert first == again == other


def test_no_assessments_fit_to_nothing():
    ratings = ratings_from([], VERDICTS)
    assert len(bridged(fit(ratings), 0.4, 0.5)) == 0


def recompute(client, person):
    return client.post("/api/consensus/recompute", headers=person.auth if person else {})


def test_the_case_consensus_shows_the_bridging_score_after_a_run(people, client, make_report):
    case = case_of(make_report(None, tlp="green"))
    reviewers = [people.alice, people.bob, people.carol]
    for reviewer in reviewers:
        assign(client, people.secretariat, case, reviewer)
        assess(client, reviewer, case)
    before = client.get(f"/api/cases/{case.pk}/consensus", headers=people.bob.auth).json()
    assert before["bridging"] == [] and before["bridging_computed_at"] is None
    assert recompute(client, people.secretariat).status_code == 202  # runs inline in tests
    after = client.get(f"/api/cases/{case.pk}/consensus", headers=people.bob.auth).json()
    [score] = after["bridging"]
    assert (score["verdict"], score["raters"]) == ("false", 3)
    assert after["bridging_computed_at"] is not None


def test_only_the_secretariat_and_admins_recompute(people, client, make_report):
    case = case_of(make_report(None, tlp="green"))
    for reviewer in (people.alice, people.bob, people.carol):
        assign(client, people.secretariat, case, reviewer)
        assess(client, reviewer, case)
    refused = recompute(client, people.bob)
    assert refused.status_code == 403
    assert "only the secretariat and admins" in refused.json()["detail"]
    assert recompute(client, None).status_code == 401
    assert not BridgingScore.objects.exists()
    admin = _person("ukweli", "admin", "root@ukweli.example")
    assert recompute(client, admin).status_code == 202
    assert BridgingScore.objects.filter(case=case).exists()
