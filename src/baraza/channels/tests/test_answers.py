"""A forwarded rumour that the coalition already decided, or a fact-checker already checked, is
answered at once; NO turns it into a normal report."""

from baraza.channels.models import InboundMessage, InboundStatus
from baraza.channels.tests.fake_telegram import send
from baraza.channels.tests.journeys import decide_case_of
from baraza.intake.models import Report
from baraza.matching.actions import do_import_factchecks

RUMOUR = (
    "The electoral commission has moved voting day in Mombasa county to Thursday because of "
    "the rains. Share with everyone before Tuesday."
)
CHECKED = (
    "Voters without a national identity card can vote by showing a baptism certificate at "
    "their polling station, the commission announced."
)


def test_a_rumour_already_decided_in_public_is_answered_at_once(
    fake_telegram, client, placed, people, make_report
):
    case = decide_case_of(make_report(None, text=RUMOUR, tlp="clear"), people, client)
    send(client, placed, RUMOUR, 901)
    [answer] = fake_telegram.texts_to(901)
    assert "already reviewed" in answer and f"/decisions/{case.pk}/" in answer
    assert "5pm" in answer and "reply NO" in answer
    assert InboundMessage.objects.get().status == InboundStatus.ANSWERED
    assert not Report.objects.filter(channel="telegram").exists()


def test_no_turns_the_answered_message_into_a_normal_report(
    fake_telegram, client, placed, people, make_report
):
    decide_case_of(make_report(None, text=RUMOUR, tlp="clear"), people, client)
    send(client, placed, RUMOUR, 902)
    send(client, placed, "no", 902)
    report = Report.objects.get(channel="telegram")
    assert report.text == RUMOUR
    _answer, received = fake_telegram.texts_to(902)
    assert report.display_code in received and "tracking code" in received


def test_no_without_a_recent_answer_makes_nothing(fake_telegram, client, placed, people):
    send(client, placed, "NO", 903)
    assert "no recent answer" in fake_telegram.texts_to(903)[0]
    assert not Report.objects.exists()


def test_a_decision_on_an_amber_case_is_never_given_out(
    fake_telegram, client, placed, people, make_report
):
    decide_case_of(make_report(None, text=RUMOUR, tlp="amber"), people, client)
    send(client, placed, RUMOUR, 904)
    [reply] = fake_telegram.texts_to(904)
    assert "tracking code" in reply and "already reviewed" not in reply


def test_a_claim_in_the_fact_check_library_is_answered_with_the_check(
    fake_telegram, client, placed, people
):
    record = {
        "claim": CHECKED,
        "rating": "False",
        "url": "https://factcheck.example/baptism-certificate",
        "author": "Africa Check",
    }
    do_import_factchecks([("test", record)], organisation=None, actor=None, source="test")
    send(client, placed, CHECKED, 905)
    [answer] = fake_telegram.texts_to(905)
    assert "already been checked by Africa Check: False" in answer
    assert "https://factcheck.example/baptism-certificate" in answer


def test_a_short_message_is_never_answered_automatically(
    fake_telegram, client, placed, people, make_report
):
    decide_case_of(make_report(None, text="Vote on Thursday", tlp="clear"), people, client)
    send(client, placed, "Vote on Thursday", 906)
    assert "tracking code" in fake_telegram.texts_to(906)[0]
