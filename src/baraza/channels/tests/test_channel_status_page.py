"""/channels/: the host secretariat sees each channel's state and manages the blocklist; other
organisations and anonymous visitors do not."""

from baraza.channels.models import OutboundMessage, Sender
from baraza.channels.tests.fake_telegram import send
from baraza.channels.tests.journeys import chat_report
from baraza.channels.tests.test_telegram_journey import RUMOUR
from baraza.conftest import PASSWORD


def login(client, person):
    assert client.login(username=person.member.user.email, password=PASSWORD)


def test_the_secretariat_sees_which_channels_are_connected_and_working(
    fake_telegram, client, placed, people
):
    send(client, placed, RUMOUR, 1401)
    login(client, people.secretariat)
    page = client.get("/channels/").content.decode()
    telegram_row = page.split("<td>Telegram</td>")[1].split("</tr>")[0]
    assert "<td>yes</td>" in telegram_row.replace("\n", "")
    assert "<td>1</td>" in telegram_row  # one message, one reply today
    whatsapp_row = page.split("<td>WhatsApp</td>")[1].split("</tr>")[0]
    assert "BARAZA_WHATSAPP_ACCESS_TOKEN" in whatsapp_row


def test_failed_replies_are_listed_with_their_reason(fake_telegram, client, placed, people):
    body = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
    fake_telegram.fail_next(r"sendMessage$", 403, body)
    send(client, placed, RUMOUR, 1402)
    login(client, people.secretariat)
    page = client.get("/channels/").content.decode()
    assert "bot was blocked by the user" in page
    assert chat_report("telegram").display_code in page


def test_the_page_speaks_french(fake_telegram, client, people):
    login(client, people.secretariat)
    page = client.get("/channels/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Lignes de signalement" in page and "Expéditeurs bloqués" in page


def test_the_secretariat_finds_the_page_in_the_menu_and_others_do_not(client, people):
    login(client, people.secretariat)
    assert 'href="/channels/"' in client.get("/cases/").content.decode()
    login(client, people.bob)
    assert 'href="/channels/"' not in client.get("/cases/").content.decode()


def test_another_organisations_member_is_refused(client, people):
    login(client, people.bob)
    assert client.get("/channels/").status_code == 403


def test_a_member_of_the_host_who_does_not_coordinate_is_refused(client, people, db):
    from baraza.accounts.actions import do_create_member

    created = do_create_member(
        org_slug="secretariat", role="reviewer", email="rev@host.example", password=PASSWORD
    )
    client.force_login(created.member.user)
    assert client.get("/channels/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get("/channels/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_secretariat_blocks_the_sender_of_a_report_by_its_code(
    fake_telegram, client, placed, people
):
    send(client, placed, RUMOUR, 1403)
    login(client, people.secretariat)
    code = chat_report("telegram").display_code
    response = client.post("/channels/block/", {"tracking_code": code}, follow=True)
    assert "Sender blocked." in response.content.decode()
    assert Sender.objects.get().blocked
    send(client, placed, "Another rumour about the count in Kisumu town hall", 1403)
    assert OutboundMessage.objects.count() == 1  # no reply to the blocked sender


def test_the_secretariat_lifts_a_block(fake_telegram, client, placed, people):
    send(client, placed, RUMOUR, 1404)
    Sender.objects.update(blocked=True)
    login(client, people.secretariat)
    sender = Sender.objects.get()
    response = client.post(f"/channels/senders/{sender.pk}/block/", {"blocked": "0"}, follow=True)
    assert "Sender unblocked." in response.content.decode()
    assert not Sender.objects.get().blocked


def test_another_organisation_cannot_block_or_unblock(fake_telegram, client, placed, people):
    send(client, placed, RUMOUR, 1405)
    login(client, people.bob)
    code = chat_report("telegram").display_code
    assert client.post("/channels/block/", {"tracking_code": code}).status_code == 403
    sender = Sender.objects.get()
    assert client.post(f"/channels/senders/{sender.pk}/block/", {"blocked": "1"}).status_code == 404
    assert not Sender.objects.get().blocked


def test_anonymous_visitors_cannot_block(fake_telegram, client, placed, people):
    send(client, placed, RUMOUR, 1406)
    code = chat_report("telegram").display_code
    response = client.post("/channels/block/", {"tracking_code": code})
    assert response.status_code == 302 and not Sender.objects.get().blocked


def test_an_unknown_code_is_explained(client, people):
    login(client, people.secretariat)
    response = client.post("/channels/block/", {"tracking_code": "K7QM-3XHP-9TWD"}, follow=True)
    assert "No tipline report has this tracking code." in response.content.decode()
