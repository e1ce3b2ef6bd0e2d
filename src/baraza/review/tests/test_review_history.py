"""The review page's history: the case's events, in words, in the reader's language."""

from baraza.conftest import PASSWORD
from baraza.review.actions import do_assign_case
from baraza.review.tests.helpers import case_of


def history_on_review_page(client, person, case, **headers):
    assert client.login(username=person.member.user.email, password=PASSWORD)
    html = client.get(f"/review/cases/{case.pk}/", headers=headers).content.decode()
    assert '<ol class="history">' in html
    return html[html.index('<ol class="history">') :]


def test_the_review_page_tells_the_cases_history_in_words(people, client, make_report):
    case = case_of(make_report(None, tlp="amber"))
    do_assign_case(case, people.bob.member, by=people.secretariat.member)
    history = history_on_review_page(client, people.secretariat, case)
    assert "Report received" in history
    assert "Reviewer assigned: Sauti Civic Watch, due " in history
    assert "review.case_assigned" not in history and "bob@sauti.example" not in history


def test_the_review_page_tells_the_history_in_french(people, client, make_report):
    case = case_of(make_report(None, tlp="amber"))
    do_assign_case(case, people.bob.member, by=people.secretariat.member)
    history = history_on_review_page(client, people.secretariat, case, accept_language="fr")
    assert "Examinateur désigné : Sauti Civic Watch, échéance le " in history
