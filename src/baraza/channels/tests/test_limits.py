"""A flood from one sender, or on one channel, is kept but not answered: no report storm, no
reply storm. Blocked senders are kept out quietly."""

from baraza.channels.models import InboundMessage, InboundStatus, OutboundMessage, Sender
from baraza.channels.tests.fake_telegram import message_update, post_update, send
from baraza.intake.models import Report


def test_a_sender_over_the_limit_is_kept_and_told_once(
    fake_telegram, client, placed, people, settings
):
    settings.CHANNEL_SENDER_RATE = "3/h"
    settings.CHANNEL_GROUP_SECONDS = 0
    with placed():
        for n in range(40):
            post_update(client, message_update(f"Rumour number {n} about the tally", chat_id=1001))
    assert InboundMessage.objects.count() == 40  # nothing lost
    assert Report.objects.count() == 3
    assert InboundMessage.objects.filter(status=InboundStatus.LIMITED).count() == 37
    texts = fake_telegram.texts_to(1001)
    assert len(texts) == 4 and "many messages" in texts[-1]


def test_another_sender_is_not_held_back_by_a_flooder(
    fake_telegram, client, placed, people, settings
):
    settings.CHANNEL_SENDER_RATE = "2/h"
    settings.CHANNEL_GROUP_SECONDS = 0
    for n in range(5):
        send(client, placed, f"Flood message {n} about ballots", 1002)
    send(client, placed, "Ballot boxes were opened early in Nakuru", 1003)
    assert "tracking code" in fake_telegram.texts_to(1003)[0]


def test_the_channel_limit_holds_back_everyone_beyond_it(
    fake_telegram, client, placed, people, settings
):
    settings.CHANNEL_RATE = "4/m"
    settings.CHANNEL_GROUP_SECONDS = 0
    for n in range(6):
        send(client, placed, f"Report {n} of ballot stuffing in ward {n}", 1100 + n)
    assert Report.objects.count() == 4
    assert InboundMessage.objects.filter(status=InboundStatus.LIMITED).count() == 2
    assert fake_telegram.texts_to(1104) == [] and fake_telegram.texts_to(1105) == []


def test_a_blocked_senders_messages_are_kept_without_report_or_reply(
    fake_telegram, client, placed, people
):
    send(client, placed, "First message about the vote count", 1200)
    Sender.objects.update(blocked=True)
    send(client, placed, "Second message about the vote count", 1200)
    assert Report.objects.count() == 1
    assert InboundMessage.objects.filter(status=InboundStatus.BLOCKED).count() == 1
    assert len(fake_telegram.texts_to(1200)) == 1
    assert OutboundMessage.objects.count() == 1
