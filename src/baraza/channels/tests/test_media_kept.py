"""The media people send are kept, encrypted, for the media pipeline: fetched from each provider
through its real protocol (against the fakes on loopback) after the message is handled, or, for
e-mail, taken from the mail when it arrives. Over the size limit nothing is fetched or kept;
a provider's 5xx is tried again later, its 404 is final; a blocked sender's media are never
fetched; the same file sent twice is stored once."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from baraza.audit.models import AuditEvent
from baraza.channels import media_store
from baraza.channels.media_actions import MEDIA_ATTEMPTS
from baraza.channels.models import InboundMessage, InboundStatus, Sender, media_state
from baraza.channels.providers.email import poll_mailbox
from baraza.channels.tasks import handle_waiting, keep_lost_media, keep_media
from baraza.channels.tests import fake_whatsapp as wa
from baraza.channels.tests.dovecot import Dovecot, dovecot_fixture  # noqa: F401
from baraza.channels.tests.fake_sms import (
    FakeTwilio,
    basic_auth,
    post_twilio,
    twilio_error,
    twilio_incoming,
)
from baraza.channels.tests.fake_telegram import (
    FakeTelegram,
    message_update,
    params,
    post_update,
    send,
)
from baraza.channels.tests.fake_whatsapp import ATTACHMENTS, FakeGraphAPI, graph_error
from baraza.channels.tests.journeys import chat_report, messages_of
from baraza.channels.tests.test_email_parsing import mail
from baraza.conftest import PASSWORD
from baraza.review.tests.helpers import case_of

pytestmark = pytest.mark.django_db

RUMOUR = "Polling stations in Kisumu will close at 2pm on voting day, not 5pm. Share this."
TIPLINE = "signalements@baraza.example"


def media_file(seed: str, size: int = 4096) -> bytes:
    """Bytes that stand for a picture or a voice note: distinct per seed, the same each run."""
    blocks = (hashlib.sha256(f"{seed}:{n}".encode()).digest() for n in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_files(settings: Any) -> list[Path]:
    folder = Path(settings.CHANNEL_MEDIA_DIR)
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def the_entry(provider: str) -> dict[str, Any]:
    [message] = messages_of(provider)
    [entry] = message.media
    return entry


def make_media_due(minutes: float = 0) -> None:
    """Time passes: the retry (or, `minutes` later, the sweep's turn) has come."""
    due = timezone.now() - timedelta(minutes=minutes, seconds=1)
    InboundMessage.objects.exclude(media_due_at=None).update(media_due_at=due)


def photo(file_id: str, size: int) -> list[dict[str, Any]]:
    """A photo as Telegram sends it: its sizes, smallest first."""
    return [
        {"file_id": f"{file_id}-thumb", "file_unique_id": "t", "width": 90, "height": 67},
        {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "width": 800,
            "height": 600,
            "file_size": size,
        },
    ]


def send_whatsapp(client: Any, placed: Any, *messages: dict[str, Any]) -> None:
    with placed():
        response = wa.post_webhook(client, wa.webhook(*messages))
    assert response.status_code == 200, response.content


def send_twilio(client: Any, placed: Any, *urls: str) -> None:
    with placed():
        response = post_twilio(
            client, twilio_incoming(RUMOUR, media=[("image/jpeg", url) for url in urls])
        )
    assert response.status_code == 200, response.content


# --- Kept, from each provider ------------------------------------------------------------------


def test_a_telegram_photo_with_a_caption_is_kept_encrypted_under_its_sha256(
    fake_telegram: FakeTelegram, client: Any, placed: Any, people: Any, settings: Any
) -> None:
    content = media_file("telegram photo")
    stored = fake_telegram.add_file("AgAD-kept", content)

    send(client, placed, None, 790, photo=photo("AgAD-kept", len(content)), caption=RUMOUR)

    entry = the_entry("telegram")
    assert (entry["kept"], entry["sha256"], entry["size"]) == (True, sha256(content), 4096)
    assert entry["reference"] == "AgAD-kept"  # the largest size, not the thumbnail
    assert media_store.exists(sha256(content)) and media_store.read(sha256(content)) == content
    [on_disk] = stored_files(settings)
    assert on_disk.name == sha256(content)
    raw = on_disk.read_bytes()
    assert all(content[n : n + 16] not in raw for n in range(0, len(content), 16))
    [asked] = fake_telegram.sent_to(r"/getFile$")
    assert params(asked)["file_id"] == "AgAD-kept"
    [download] = fake_telegram.downloads()
    assert download.path.endswith(f"/{stored.file_path}") and download.method == "GET"


def test_a_whatsapp_voice_note_is_fetched_in_two_steps_with_the_token_and_kept(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    content = media_file("whatsapp voice note")
    fake_graph.add_media("939473221440299", content, "audio/ogg; codecs=opus")

    # The voice note waits for its words, which follow in the same webhook; it joins them.
    send_whatsapp(client, placed, wa.audio("939473221440299", voice=True), wa.text(RUMOUR))

    voice = messages_of("whatsapp")[0]
    assert voice.status == InboundStatus.JOINED
    [entry] = voice.media
    assert (entry["kind"], entry["kept"], entry["sha256"]) == ("voice", True, sha256(content))
    assert media_store.read(entry["sha256"]) == content
    where, what = fake_graph.media_requests("939473221440299")
    assert (where.method, where.path) == ("GET", f"/{wa.API_VERSION}/939473221440299")
    assert where.query["phone_number_id"] == [wa.PHONE_NUMBER_ID]
    assert (what.method, what.path) == ("GET", ATTACHMENTS)
    bearer = f"Bearer {wa.ACCESS_TOKEN}"
    assert where.headers["authorization"] == what.headers["authorization"] == bearer


def test_a_twilio_mms_picture_is_fetched_with_basic_auth_and_kept(
    fake_twilio: FakeTwilio, client: Any, placed: Any, people: Any
) -> None:
    content = media_file("twilio mms")
    url = fake_twilio.add_media(content, "image/jpeg")

    send_twilio(client, placed, url)

    entry = the_entry("twilio")
    assert (entry["reference"], entry["kept"], entry["sha256"]) == (url, True, sha256(content))
    assert media_store.read(entry["sha256"]) == content
    asked, redirected = [r for r in fake_twilio.requests if r.method == "GET"]
    assert url.endswith(asked.path) and asked.headers["authorization"] == basic_auth()
    assert redirected.path.startswith("/storage/")  # Twilio's redirect, followed


@pytest.fixture
def mailbox(dovecot: Dovecot, settings: Any) -> Dovecot:
    settings.EMAIL_INTAKE_IMAP_URL = dovecot.url()
    settings.EMAIL_INTAKE_ADDRESS = TIPLINE
    return dovecot


def poster_mail(content: bytes) -> bytes:
    import base64

    encoded = base64.encodebytes(content).decode().strip()
    return mail(f"""
From: Otieno <otieno@example.org>
To: {TIPLINE}
Subject: This poster is everywhere
Date: Mon, 3 Jun 2024 08:00:00 +0300
Message-ID: <poster-kept@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="simple boundary"

--simple boundary
Content-Type: text/plain; charset=us-ascii

{RUMOUR}
--simple boundary
Content-Type: image/png
Content-Disposition: attachment; filename="poster.png"
Content-Transfer-Encoding: base64

{encoded}
--simple boundary--
""")


def test_an_email_attachment_is_kept_when_the_mail_arrives_without_any_fetch(
    mailbox: Dovecot, placed: Any, people: Any
) -> None:
    content = media_file("e-mailed poster")
    mailbox.deliver(poster_mail(content))

    with placed():
        assert poll_mailbox() == 1

    [message] = messages_of("email")
    [entry] = message.media
    assert entry["reference"] == f"sha256:{sha256(content)}"
    assert (entry["kept"], entry["sha256"], entry["size"]) == (True, sha256(content), 4096)
    assert entry["name"] == "poster.png" and "content" not in entry
    assert media_store.read(sha256(content)) == content
    assert (message.media_attempts, message.media_due_at) == (0, None)  # nothing to fetch
    received = AuditEvent.objects.get(action="channels.messages_received")
    assert received.payload == {"provider": "email", "messages": 1, "media_kept": 1}


# --- Over the size limit ----------------------------------------------------------------------


def test_a_whatsapp_file_over_the_limit_is_refused_by_its_size_without_downloading_it(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any, settings: Any
) -> None:
    settings.CHANNEL_MEDIA_MAX_BYTES = 1024
    fake_graph.add_media("1479537139650990", media_file("big poster", 2048))

    send_whatsapp(client, placed, wa.image("1479537139650990", RUMOUR))

    entry = the_entry("whatsapp")
    assert (entry["kept"], entry["why"]) == (False, "too_large")
    assert "2048 bytes" in entry["detail"]
    assert [r.path for r in fake_graph.media_requests("1479537139650990")] == [
        f"/{wa.API_VERSION}/1479537139650990"  # its URL and size, and no download
    ]
    assert stored_files(settings) == []


def test_a_download_longer_than_the_provider_said_is_cut_off_at_the_limit(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any, settings: Any
) -> None:
    settings.CHANNEL_MEDIA_MAX_BYTES = 1024
    # WhatsApp says 512 bytes, then sends 8 MiB without a Content-Length.
    endless = media_file("understated", 8 * 1024 * 1024)
    fake_graph.add_media("1479537139650991", endless, file_size=512, streamed=True)

    send_whatsapp(client, placed, wa.image("1479537139650991", RUMOUR))

    entry = the_entry("whatsapp")
    assert (entry["kept"], entry["why"]) == (False, "too_large")
    assert fake_graph.was_cut_off(ATTACHMENTS)  # we hung up; the rest was never read
    assert stored_files(settings) == []


def test_a_telegram_file_over_the_limit_by_the_updates_own_size_is_never_asked_for(
    fake_telegram: FakeTelegram, client: Any, placed: Any, people: Any, settings: Any
) -> None:
    settings.CHANNEL_MEDIA_MAX_BYTES = 1024
    fake_telegram.add_file("AgAD-big", media_file("big telegram photo", 2048))

    send(client, placed, None, 791, photo=photo("AgAD-big", 2048), caption=RUMOUR)

    assert (the_entry("telegram")["kept"], the_entry("telegram")["why"]) == (False, "too_large")
    assert fake_telegram.sent_to(r"/getFile$") == [] and fake_telegram.downloads() == []


# --- Failures: tried again, or final -----------------------------------------------------------


def test_a_provider_answering_500_is_asked_again_later_and_the_file_kept(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    content = media_file("flaky graph api")
    fake_graph.add_media("1479537139650992", content)
    error = graph_error("An unexpected error has occurred.", "OAuthException", 2)
    fake_graph.fail_next(r"/1479537139650992$", 500, error)

    send_whatsapp(client, placed, wa.image("1479537139650992", RUMOUR))

    [message] = messages_of("whatsapp")
    assert "kept" not in message.media[0] and message.media_attempts == 1
    assert message.media_due_at is not None and message.media_due_at > timezone.now()
    make_media_due()
    keep_media(message.pk)  # the retry the task scheduled for itself
    message.refresh_from_db()
    assert (message.media[0]["kept"], message.media[0]["sha256"]) == (True, sha256(content))
    assert (message.media_attempts, message.media_due_at) == (2, None)


def test_a_404_is_recorded_as_not_kept_and_never_tried_again(
    fake_twilio: FakeTwilio, client: Any, placed: Any, people: Any
) -> None:
    url = fake_twilio.add_media(media_file("deleted mms"))
    fake_twilio.fail_next(r"/Media/ME", 404, twilio_error(404, 20404, "not found").body)

    send_twilio(client, placed, url)

    [message] = messages_of("twilio")
    [entry] = message.media
    assert (entry["kept"], entry["why"]) == (False, "refused")
    assert "HTTP 404" in entry["detail"] and "20404" in entry["detail"]
    assert (message.media_attempts, message.media_due_at) == (1, None)
    with placed():
        assert keep_lost_media(older_than=timedelta(0)) == 0
    assert len([r for r in fake_twilio.requests if r.method == "GET"]) == 1


def test_a_provider_that_keeps_failing_is_given_up_after_the_last_attempt(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    fake_graph.add_media("1479537139650993", media_file("never served"))
    fake_graph.fail_next(r"/1479537139650993$", 503, b"Service Unavailable", times=MEDIA_ATTEMPTS)

    send_whatsapp(client, placed, wa.image("1479537139650993", RUMOUR))
    [message] = messages_of("whatsapp")
    for _ in range(MEDIA_ATTEMPTS - 1):
        make_media_due()
        keep_media(message.pk)

    message.refresh_from_db()
    [entry] = message.media
    assert (entry["kept"], entry["why"]) == (False, "unreachable") and "503" in entry["detail"]
    assert (message.media_attempts, message.media_due_at) == (MEDIA_ATTEMPTS, None)


# --- Who and what is kept ----------------------------------------------------------------------


def test_a_blocked_senders_media_are_not_fetched(
    fake_telegram: FakeTelegram, client: Any, placed: Any, people: Any
) -> None:
    fake_telegram.add_file("AgAD-blocked", media_file("from a blocked sender"))
    update = message_update(None, chat_id=792, photo=photo("AgAD-blocked", 4096), caption=RUMOUR)
    post_update(client, update)  # stored; the worker has not handled it yet
    Sender.objects.update(blocked=True)

    with placed():
        assert handle_waiting(older_than=timedelta(0)) == 1
        assert keep_lost_media(older_than=timedelta(0)) == 0

    [message] = messages_of("telegram")
    assert message.status == InboundStatus.BLOCKED and "kept" not in message.media[0]
    assert message.media_due_at is None
    assert fake_telegram.sent_to(r"/getFile$") == [] and fake_telegram.downloads() == []


def test_the_same_picture_from_two_senders_is_stored_once(
    fake_telegram: FakeTelegram, client: Any, placed: Any, people: Any, settings: Any
) -> None:
    content = media_file("forwarded by everyone")
    fake_telegram.add_file("AgAD-first", content)
    fake_telegram.add_file("AgAD-second", content)  # Telegram ids differ per chat

    send(client, placed, None, 793, photo=photo("AgAD-first", 4096), caption=RUMOUR)
    send(client, placed, None, 794, photo=photo("AgAD-second", 4096), caption=RUMOUR)

    first, second = (message.media[0] for message in messages_of("telegram"))
    assert first["sha256"] == second["sha256"] == sha256(content)
    assert first["kept"] is second["kept"] is True
    assert [path.name for path in stored_files(settings)] == [sha256(content)]


def test_media_whose_task_was_lost_are_kept_by_the_sweep_five_minutes_later(
    fake_telegram: FakeTelegram, client: Any, placed: Any, people: Any
) -> None:
    content = media_file("task lost in a crash")
    fake_telegram.add_file("AgAD-lost", content)
    post_update(client, message_update(None, chat_id=795, photo=photo("AgAD-lost", 4096)))
    InboundMessage.objects.update(received_at=timezone.now() - timedelta(minutes=3))
    handle_waiting()  # handled, but the worker died before its after-commit work ran

    assert keep_lost_media() == 0  # its task may still be in the queue
    make_media_due(minutes=5)
    with placed():
        assert keep_lost_media() == 1

    entry = the_entry("telegram")
    assert (entry["kept"], entry["sha256"]) == (True, sha256(content))


def test_the_audit_event_counts_the_media_and_says_nothing_of_the_sender(
    fake_telegram: FakeTelegram, client: Any, placed: Any, people: Any
) -> None:
    fake_telegram.add_file("AgAD-audit", media_file("audited"))

    send(client, placed, None, 796, photo=photo("AgAD-audit", 4096), caption=RUMOUR)

    event = AuditEvent.objects.get(action="channels.media_kept")
    assert event.payload == {
        "provider": "telegram",
        "attempts": 1,
        "kept": 1,
        "not_kept": 0,
        "waiting": 0,
    }
    assert (event.object_type, event.object_id) == (
        "intake.report",
        str(chat_report("telegram").pk),
    )


# --- Shown on the case page --------------------------------------------------------------------


def test_the_case_page_says_which_media_were_kept(
    fake_telegram: FakeTelegram, client: Any, placed: Any, people: Any
) -> None:
    fake_telegram.add_file("AgAD-shown", media_file("shown"))

    send(client, placed, None, 797, photo=photo("AgAD-shown", 4096), caption=RUMOUR)

    case = case_of(chat_report("telegram"))
    client.login(username=people.secretariat.member.user.email, password=PASSWORD)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "1 media file sent with the report: image (image/jpeg, 4.0\xa0KB, kept)" in page


def test_why_a_file_was_not_kept_is_told_in_the_readers_language() -> None:
    too_large = {"kind": "video", "kept": False, "why": "too_large"}
    with override("en"):
        assert media_state(too_large) == "not kept: larger than the size limit"
        assert media_state({"kind": "image"}) == ""  # not fetched yet
    with override("fr"):
        assert media_state({"kept": True}) == "conservé"
        assert media_state(too_large) == "non conservé : plus grand que la taille maximale"
