"""The case page's history tells every app's events in words, in the reader's language."""

import pytest

from baraza.cases.actions import do_change_case_status
from baraza.cases.models import Case
from baraza.conftest import PASSWORD
from baraza.review.actions import do_assign_case


@pytest.fixture
def assigned_case(people, make_report):
    """A public report's case (the host's), triaged, then given to Bob of Sauti for review."""
    case = Case.objects.get(links__report=make_report(None, tlp="amber"))
    do_change_case_status(case, "triaged", member=people.secretariat.member)
    do_assign_case(case, people.bob.member, by=people.secretariat.member)
    return case


def history_of(client, people, case, **headers):
    assert client.login(username=people.secretariat.member.user.email, password=PASSWORD)
    response = client.get(f"/cases/{case.pk}/", headers=headers)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<ol class="history">') :]


def test_the_case_page_tells_a_review_assignment_in_words(people, client, assigned_case):
    history = history_of(client, people, assigned_case)
    assert "Report received" in history
    assert "Status changed: Triaged → In review" not in history  # the assignment moved it
    assert "Status changed: New → Triaged" in history
    assert "Reviewer assigned: Sauti Civic Watch, due " in history
    assert "review.case_assigned" not in history
    assert "bob@sauti.example" not in history


def test_the_case_page_tells_the_history_in_french_to_a_french_browser(
    people, client, assigned_case
):
    history = history_of(client, people, assigned_case, accept_language="fr")
    assert "Signalement reçu" in history
    assert "Statut modifié : Nouveau → Trié" in history
    assert "Examinateur désigné : Sauti Civic Watch, échéance le " in history
    assert "Reviewer assigned" not in history and "review.case_assigned" not in history


def test_the_case_page_tells_the_history_in_the_language_chosen_by_cookie(
    people, client, assigned_case
):
    client.cookies["django_language"] = "fr"
    history = history_of(client, people, assigned_case)
    assert "Examinateur désigné : Sauti Civic Watch" in history
    assert "review.case_assigned" not in history
