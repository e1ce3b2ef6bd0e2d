"""The referral page's history: that referral's events only, in words."""

from datetime import UTC, datetime

from baraza.accountability.tests.helpers import refer, respond
from baraza.conftest import PASSWORD


def history_on_referral_page(client, person, referral_id, **headers):
    client.logout()
    assert client.login(username=person.member.user.email, password=PASSWORD)
    html = client.get(f"/referrals/{referral_id}/", headers=headers).content.decode()
    assert '<ol class="history">' in html
    return html[html.index('<ol class="history">') :]


def test_the_referral_page_tells_its_referral_and_responses_in_words(
    people, client, platforms, decided_case
):
    lara, _tom = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    answered = datetime.now(UTC).isoformat()
    assert (
        respond(client, lara, referral_id, kind="acknowledged", responded_at=answered).status_code
        == 201
    )
    history = history_on_referral_page(client, lara, referral_id)
    assert "Referred to Metaplat: remove the content" in history
    assert f"Response to referral #{referral_id}: acknowledged · by Metaplat" in history
    assert "accountability.case_referred" not in history
    # The liaison sees the referral, never the case's own history (reviewers, decisions).
    assert "Reviewer assigned" not in history and "Decision recorded" not in history


def test_the_referral_page_tells_the_history_in_french(people, client, platforms, decided_case):
    lara, _tom = platforms
    referral_id = refer(client, people.secretariat, decided_case).json()["id"]
    history = history_on_referral_page(client, lara, referral_id, accept_language="fr")
    assert "Transmis à Metaplat : retirer le contenu" in history
