"""The transparency report: figures, disparity ratios, and suppression that cannot be undone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baraza.accountability.models import Referral, Response
from baraza.accounts.models import Organisation
from baraza.cases.models import Case, CaseReport
from baraza.intake.models import Report
from baraza.intake.tracking import new_code
from baraza.review.models import Decision
from baraza.testing import field_errors

DAY = timezone.now() - timedelta(days=2)


@pytest.fixture
def coalition(people):
    platform = Organisation.objects.create(slug="metaplat", name="Metaplat", kind="platform")
    return people, platform


def case_with(people, platform, *, reports, language, country="KE", hours_to_action=None):
    owner = people.secretariat.organisation
    case = Case.objects.create(
        tlp="amber",
        organisation=owner,
        category="voter_suppression",
        platform="facebook",
        country=country,
        language=language,
        status="decided",
    )
    for _ in range(reports):
        report = Report.objects.create(
            tracking_code=new_code(),
            text="x",
            platform="facebook",
            country=country,
            language=language,
            category="voter_suppression",
            channel="api",
            organisation=owner,
            created_at=DAY,
        )
        CaseReport.objects.create(case=case, report=report, reason="opened")
    decision = Decision.objects.create(
        case=case,
        outcome="no_action",
        public_reasons="r",
        decided_by=people.secretariat.member.user,
    )
    if hours_to_action is not None:
        referral = Referral.objects.create(
            case=case,
            decision=decision,
            recipient=platform,
            requested_action="remove",
            created_by=people.secretariat.member.user,
            sent_at=DAY,
            due_at=DAY + timedelta(days=1),
        )
        Response.objects.create(
            referral=referral,
            kind="actioned",
            decision_visibility="DECISION_VISIBILITY_CONTENT_REMOVED",
            responded_at=DAY + timedelta(hours=hours_to_action),
            recorded_by=people.secretariat.member.user,
        )
    return case


def report(client, **query):
    response = client.get("/api/transparency", query)
    assert response.status_code == 200
    return response.json()


def test_an_empty_period_gives_an_empty_but_valid_report(db, client):
    body = report(client, since="2020-01-01", until="2020-01-31")
    assert body["rows"] == [] and body["suppressed_cells"] == 0
    assert body["totals"]["reports"] == 0 and body["totals"]["action_rate"] is None
    assert body["disparity"] == {"language": [], "country": []}
    assert body["schema_version"] == "1"


def test_disparity_ratios_compare_each_language_with_the_best_served(coalition, client):
    people, platform = coalition
    case_with(people, platform, reports=6, language="en", hours_to_action=2)
    case_with(people, platform, reports=6, language="ha", hours_to_action=8)
    body = report(client)
    by_language = {row["group"]: row for row in body["disparity"]["language"]}
    assert by_language["en"]["time_ratio"] == 1.0
    assert by_language["ha"]["time_ratio"] == 4.0
    assert by_language["ha"]["median_hours_to_action"] == 8.0
    assert by_language["ha"]["referrals"] == 1  # the sample size comes with the ratio
    assert body["totals"]["reports"] == 12


def test_suppressed_cells_cannot_be_recovered_from_totals_or_other_tables(coalition, client):
    people, platform = coalition
    case_with(people, platform, reports=7, language="en", hours_to_action=2)
    case_with(people, platform, reports=2, language="sw", hours_to_action=30)  # a small group
    body = report(client)
    assert body["suppressed_cells"] == 1
    assert [row["language"] for row in body["rows"]] == ["en"]
    # Totals are the sum of what is shown: total minus parts reveals nothing.
    for measure in ("reports", "cases", "referrals", "actioned"):
        assert body["totals"][measure] == sum(row[measure] for row in body["rows"])
    # Nor do the disparity tables carry the small group's figures.
    assert [row["group"] for row in body["disparity"]["language"]] == ["en"]
    assert body["totals"]["median_hours_to_action"] == 2.0
    assert "30" not in str(body["disparity"])


def test_the_threshold_is_a_setting(coalition, client, settings):
    people, platform = coalition
    settings.REPORT_MIN_COUNT = 1
    case_with(people, platform, reports=2, language="sw")
    assert report(client)["suppressed_cells"] == 0


def test_bad_periods_are_refused_by_field(db, client):
    unknown = client.get("/api/transparency", {"election": "nowhere-2027"})
    assert "nowhere-2027" in field_errors(unknown)["election"]
    backwards = client.get("/api/transparency", {"since": "2027-02-01", "until": "2027-01-01"})
    assert list(field_errors(backwards)) == ["since"]
    assert list(field_errors(client.get("/api/transparency", {"since": "yesterday"}))) == ["since"]


def test_an_election_report_counts_only_that_elections_cases(coalition, client):
    from baraza.intake.models import Election

    people, platform = coalition
    election = Election.objects.create(
        slug="ke-2027", name="Kenya 2027", country="KE", voting_day=timezone.localdate()
    )
    inside = case_with(people, platform, reports=5, language="sw", hours_to_action=3)
    Case.objects.filter(pk=inside.pk).update(election=election)
    case_with(people, platform, reports=5, language="en", hours_to_action=9)  # no election
    body = report(client, election="ke-2027")
    assert body["period"]["election"] == "ke-2027"
    assert [(r["language"], r["referrals"], r["decisions"]) for r in body["rows"]] == [
        ("sw", 1, {"no_action": 1})
    ]
    assert body["totals"]["median_hours_to_action"] == 3.0
