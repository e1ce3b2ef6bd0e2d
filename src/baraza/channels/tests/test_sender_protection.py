"""A sender's address is stored only encrypted; reviewers never see it; the host secretariat
may reveal it, and that is audited."""

from django.db import connection

from baraza.audit.models import AuditEvent
from baraza.channels.models import Sender
from baraza.channels.tests.fake_telegram import send
from baraza.channels.tests.journeys import chat_report
from baraza.channels.tests.test_telegram_journey import RUMOUR
from baraza.conftest import PASSWORD
from baraza.review.tests.helpers import case_of

CHAT_ID = 730011223


def test_the_address_is_nowhere_in_the_database_in_clear(fake_telegram, client, placed, people):
    send(client, placed, RUMOUR, CHAT_ID)
    with connection.cursor() as cursor:
        for table in (
            "channels_sender",
            "channels_inboundmessage",
            "channels_outboundmessage",
            "intake_report",
            "audit_auditevent",
        ):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed names)
            assert str(CHAT_ID) not in repr(cursor.fetchall()), table
    assert Sender.objects.get().address_hash


def test_reviewers_see_that_a_contact_exists_but_not_what_it_is(
    fake_telegram, client, placed, people
):
    send(client, placed, RUMOUR, CHAT_ID)
    case = case_of(chat_report("telegram"))
    client.login(username=people.alice.member.user.email, password=PASSWORD)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert str(CHAT_ID) not in page


def test_the_secretariat_reveals_the_sender_and_it_is_audited(
    fake_telegram, client, placed, people
):
    send(client, placed, RUMOUR, CHAT_ID)
    report = chat_report("telegram")
    case = case_of(report)
    client.login(username=people.secretariat.member.user.email, password=PASSWORD)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Telegram" in page  # the channel, on the case page
    response = client.post(f"/cases/{case.pk}/contact/{report.tracking_code}/")
    assert f"Telegram: {CHAT_ID}" in response.content.decode()
    assert AuditEvent.objects.filter(action="intake.contact_revealed").count() == 1


def test_the_case_page_lists_the_media_a_sender_sent(fake_telegram, client, placed, people):
    voice = {
        "file_id": "AwAD-voice",
        "file_unique_id": "v1",
        "duration": 7,
        "mime_type": "audio/ogg",
        "file_size": 23456,
    }
    send(client, placed, None, CHAT_ID, voice=voice, caption=RUMOUR)
    case = case_of(chat_report("telegram"))
    client.login(username=people.secretariat.member.user.email, password=PASSWORD)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "1 media file sent with the report: voice (audio/ogg, 22.9" in page
