"""The public dashboard: live figures of the current election, small counts hidden, light."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baraza.accountability.dashboard import current_election
from baraza.accountability.models import Referral
from baraza.accountability.tests.helpers import refer
from baraza.intake.models import Election, Report
from baraza.intake.tracking import new_code


@pytest.fixture
def election(db):
    today = timezone.localdate()
    Election.objects.create(slug="old-2020", name="Old 2020", country="KE",
                            voting_day=today - timedelta(days=900))  # fmt: skip
    return Election.objects.create(slug="ke-2027", name="Kenya general election", country="KE",
                                   voting_day=today + timedelta(days=20))  # fmt: skip


def reports(people, election, n, category, days_ago=1):
    for _ in range(n):
        Report.objects.create(
            tracking_code=new_code(), text="x", platform="facebook", country="KE",
            language="sw", category=category, channel="api", election=election,
            organisation=people.secretariat.organisation,
            created_at=timezone.now() - timedelta(days=days_ago),
        )  # fmt: skip


def test_the_current_election_is_the_next_to_vote(election):
    assert current_election() == election


def test_it_shows_reports_per_day_and_top_categories_hiding_small_counts(people, client, election):
    reports(people, election, 7, "voter_suppression")
    reports(people, election, 2, "hate_speech")  # a small group
    page = client.get("/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kenya general election" in html and html.count("<svg") == 1
    assert '<td>voter_suppression</td><td class="num">7</td>' in html
    assert "hate_speech" not in html
    assert "<script" not in html and len(page.content) < 50_000


def test_it_counts_open_referrals_and_response_times_by_recipient(
    people, client, platforms, decide_case
):
    case = decide_case("clear")
    referral_id = refer(client, people.secretariat, case).json()["id"]
    refer(client, people.secretariat, case, recipient="tokplat")
    Referral.objects.filter(pk=referral_id).update(sent_at=timezone.now() - timedelta(hours=5))
    lara, _tom = platforms
    client.post(f"/api/referrals/{referral_id}/responses", {
        "kind": "acknowledged", "responded_at": (timezone.now() - timedelta(hours=2)).isoformat(),
    }, content_type="application/json", headers=lara.auth)  # fmt: skip
    html = client.get("/dashboard/").content.decode()
    assert '<td>Metaplat</td><td class="num">1</td>' in html  # acknowledged is still open
    assert '<td>Metaplat</td><td class="num">3.0</td><td class="num">1</td>' in html


def test_an_unknown_election_is_not_found_and_no_election_still_renders(db, client):
    assert client.get("/dashboard/", {"election": "nowhere"}).status_code == 404
    assert client.get("/dashboard/").status_code == 200
