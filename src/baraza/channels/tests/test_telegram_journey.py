"""A Telegram message, end to end: in by the webhook, a report and its case, the reply with the
tracking code in the sender's language, the decision told to the sender."""

from baraza.channels.models import InboundStatus, OutboundMessage
from baraza.channels.tests.fake_telegram import message_update, post_update
from baraza.channels.tests.journeys import chat_report, decide_case_of
from baraza.intake.models import Report

RUMOUR = (
    "Polling stations in Kisumu will close at 2pm on voting day, not 5pm, the commission says. "
    "Forward this to everyone in your family."
)
RUMEUR_FR = (
    "Les bureaux de vote de Dakar fermeront à 14 heures le jour du scrutin et non à 18 heures, "
    "selon la commission électorale. Partagez ce message avec toute votre famille."
)


def test_a_message_becomes_a_report_answered_with_its_tracking_code(
    fake_telegram, client, placed, people
):
    with placed():
        response = post_update(client, message_update(RUMOUR, chat_id=777))
    assert response.status_code == 200
    report = chat_report("telegram")
    assert (report.channel, report.text, report.platform) == ("telegram", RUMOUR, "telegram")
    assert report.organisation.slug == "secretariat" and report.case_link is not None
    [reply] = fake_telegram.texts_to(777)
    assert report.display_code in reply and "tracking code" in reply


def test_the_reply_speaks_the_language_telegram_says_the_sender_uses(
    fake_telegram, client, placed, people
):
    with placed():
        post_update(client, message_update(RUMEUR_FR, chat_id=778, language_code="fr"))
    [reply] = fake_telegram.texts_to(778)
    assert "code de suivi" in reply and chat_report("telegram").display_code in reply
    assert chat_report("telegram").language == "fr"


def test_the_decision_reaches_the_sender_who_reported_it(fake_telegram, client, placed, people):
    with placed():
        post_update(client, message_update(RUMOUR, chat_id=779))
    report = chat_report("telegram")
    with placed():
        decide_case_of(report, people, client)
    _received, decided = fake_telegram.texts_to(779)
    assert report.display_code in decided and "decided" in decided
    assert "5pm" in decided  # the public reasons, without their Markdown
    assert "**" not in decided


def test_a_picture_then_its_caption_make_one_report(fake_telegram, client, placed, people):
    photo = [{"file_id": "AgAD-photo", "file_unique_id": "u1", "width": 800, "height": 600}]
    with placed():
        post_update(client, message_update(None, chat_id=780, photo=photo))
        post_update(client, message_update(RUMOUR, chat_id=780))
    report = chat_report("telegram")
    assert report.media_count == 1 and RUMOUR in report.text
    assert len(fake_telegram.texts_to(780)) == 1  # one acknowledgement, not two
    statuses = sorted(report.chat_messages.values_list("status", flat=True))
    assert statuses == [InboundStatus.JOINED, InboundStatus.REPORTED]


def test_a_retried_update_makes_no_second_report_or_reply(fake_telegram, client, placed, people):
    update = message_update(RUMOUR, chat_id=781)
    with placed():
        post_update(client, update)
        post_update(client, update)
    chat_report("telegram")  # exactly one
    assert len(fake_telegram.texts_to(781)) == 1
    assert OutboundMessage.objects.count() == 1


def test_every_chat_reporter_of_the_case_is_told_whatever_their_channel(
    fake_telegram, fake_graph, client, placed, people
):
    from baraza.channels.tests import fake_whatsapp as wa

    with placed():
        post_update(client, message_update(RUMOUR, chat_id=782))
        post_update(client, message_update(RUMOUR, chat_id=783, language_code="fr"))
        wa.post_webhook(
            client, wa.webhook(wa.text(RUMOUR, wa_id="254700000001"), wa_id="254700000001")
        )
    reports = Report.objects.filter(channel__in=["telegram", "whatsapp"])
    assert reports.count() == 3
    assert len({report.case_link.case_id for report in reports}) == 1  # the same text
    with placed():
        decide_case_of(reports.first(), people, client)
    assert "decided" in fake_telegram.texts_to(782)[-1]
    assert "Une décision a été prise" in fake_telegram.texts_to(783)[-1]
    assert "decided" in fake_graph.texts_to("254700000001")[-1]


def test_a_message_in_a_script_we_do_not_speak_is_answered_in_the_default_language(
    fake_telegram, client, placed, people
):
    amharic = "የምርጫ ጣቢያዎች በነገው ዕለት ከሰዓት በኋላ ስምንት ሰዓት ላይ ይዘጋሉ ተብሏል፤ ይህ እውነት ነው?"
    with placed():
        post_update(client, message_update(amharic, chat_id=784, language_code="am"))
    report = chat_report("telegram")
    assert report.text == amharic and report.language == "am"
    [reply] = fake_telegram.texts_to(784)
    assert "tracking code" in reply


def test_a_picture_alone_waits_for_its_words_then_becomes_a_report_of_its_own(
    fake_telegram, client, placed, people
):
    from datetime import timedelta

    from django.utils import timezone

    from baraza.channels.models import InboundMessage
    from baraza.channels.tasks import handle_waiting

    photo = [{"file_id": "AgAD-alone", "file_unique_id": "u2", "width": 800, "height": 600}]
    with placed():
        post_update(client, message_update(None, chat_id=785, photo=photo))
    assert fake_telegram.texts_to(785) == [] and not Report.objects.exists()
    assert InboundMessage.objects.get().status == InboundStatus.RECEIVED
    InboundMessage.objects.update(received_at=timezone.now() - timedelta(minutes=3))
    with placed():
        assert handle_waiting() == 1
    report = chat_report("telegram")
    assert (report.text, report.media_count) == ("", 1)
    assert report.display_code in fake_telegram.texts_to(785)[0]


def test_a_bare_domain_telegram_marks_as_a_link_becomes_the_reports_web_address(
    fake_telegram, client, placed, people
):
    text = "This site says polling moved to Friday: kura-news.example/friday and nobody denies it"
    start = text.index("kura-news")
    entity = {"type": "url", "offset": start, "length": len("kura-news.example/friday")}
    with placed():
        post_update(client, message_update(text, chat_id=786, entities=[entity]))
    report = chat_report("telegram")
    assert (report.url, report.platform) == ("https://kura-news.example/friday", "website")
    assert report.display_code in fake_telegram.texts_to(786)[0]
