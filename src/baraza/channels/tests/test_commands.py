"""What a sender can ask the tipline in words: STOP, START, HELP and `status CODE`, in every UI
language, whatever language they were answered in before."""

from baraza.channels.models import InboundMessage, Sender
from baraza.channels.tests.fake_telegram import send
from baraza.channels.tests.journeys import chat_report, decide_case_of
from baraza.channels.tests.test_telegram_journey import RUMOUR
from baraza.intake.models import Report


def test_stop_ends_the_notices_and_the_decision_is_not_sent(fake_telegram, client, placed, people):
    send(client, placed, RUMOUR, 801)
    send(client, placed, "STOP", 801)
    report = chat_report("telegram")
    with placed():
        decide_case_of(report, people, client)
    texts = fake_telegram.texts_to(801)
    assert len(texts) == 2 and "no more messages" in texts[1]
    assert Sender.objects.get().opted_out
    assert report.display_code not in texts[-1]  # nothing about the decision


def test_slash_stop_as_telegram_writes_it_works_too(fake_telegram, client, placed, people):
    send(client, placed, "/stop", 802)
    assert Sender.objects.get().opted_out
    assert not Report.objects.exists()


def test_start_after_stop_brings_the_notices_back(fake_telegram, client, placed, people):
    send(client, placed, "stop", 803)
    send(client, placed, "START", 803)
    assert not Sender.objects.get().opted_out
    assert "tracking code" in fake_telegram.texts_to(803)[-1]  # the help text


def test_status_code_answers_where_the_report_stands(fake_telegram, client, placed, people):
    send(client, placed, RUMOUR, 804)
    code = chat_report("telegram").display_code
    send(client, placed, f"status {code.lower()}", 804)
    reply = fake_telegram.texts_to(804)[-1]
    assert reply.startswith(f"Report {code}:") and "Waiting for triage" in reply


def test_status_of_an_unknown_code_says_so_without_a_report(fake_telegram, client, placed, people):
    send(client, placed, "status K7QM-3XHP-9TWD", 805)
    send(client, placed, "status nonsense", 805)
    assert all("No report has this tracking code" in t for t in fake_telegram.texts_to(805))
    assert not Report.objects.exists()


def test_french_words_work_for_a_sender_answered_in_english(fake_telegram, client, placed, people):
    send(client, placed, RUMOUR, 806)
    code = chat_report("telegram").display_code
    send(client, placed, f"statut {code}", 806, language_code="fr")
    send(client, placed, "stop", 806, language_code="fr")
    send(client, placed, "REPRENDRE", 806, language_code="fr")
    status_reply, stop_reply, help_reply = fake_telegram.texts_to(806)[1:]
    assert status_reply.startswith(f"Signalement {code}")
    assert "Vous ne recevrez plus" in stop_reply and "REPRENDRE" in stop_reply
    assert "code de suivi" in help_reply
    assert not Sender.objects.get().opted_out


def test_a_longer_message_that_starts_with_a_command_word_is_a_report(
    fake_telegram, client, placed, people
):
    send(client, placed, "Stop the lies: ballots in Kano were burnt before counting began", 807)
    assert not Sender.objects.get().opted_out
    assert chat_report("telegram").text.startswith("Stop the lies")


def test_commands_are_recorded_as_commands_and_make_no_report(
    fake_telegram, client, placed, people
):
    send(client, placed, "help", 808)
    assert InboundMessage.objects.get().status == "command"
    assert not Report.objects.exists()
