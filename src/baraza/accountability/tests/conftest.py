"""Fixtures of the accountability tests: two platforms with a liaison each, a decided case."""

import pytest

from baraza.accountability.tests.helpers import POST, liaison
from baraza.review.tests.helpers import assess, assign, case_of
from baraza.review.tests.test_decide_case import decide


@pytest.fixture
def platforms(db):
    return liaison("metaplat", "lara@metaplat.example"), liaison("tokplat", "tom@tokplat.example")


def _decided(people, client, make_report, tlp, **report):
    case = case_of(make_report(None, tlp=tlp, url=POST, **report))
    for reviewer in (people.alice, people.bob, people.carol):
        assign(client, people.secretariat, case, reviewer)
        assess(client, reviewer, case)
    assert decide(client, people.secretariat, case).status_code == 201
    return case


@pytest.fixture
def decided_case(people, client, make_report):
    return _decided(people, client, make_report, "amber")


@pytest.fixture
def decide_case(people, client, make_report):
    """Make another decided case, of any TLP and report fields."""
    return lambda tlp="amber", **report: _decided(people, client, make_report, tlp, **report)
