"""A WhatsApp message, end to end: in by the signed webhook, a report and its case, the reply
with the tracking code in the sender's language (detected from the text: WhatsApp gives no
hint), the decision told to the sender through the Cloud API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from baraza.channels.models import InboundStatus, OutboundMessage
from baraza.channels.tests import fake_whatsapp as wa
from baraza.channels.tests.fake_whatsapp import FakeGraphAPI
from baraza.channels.tests.journeys import chat_report, decide_case_of, messages_of

pytestmark = pytest.mark.django_db

RUMOUR = (
    "Polling stations in Kisumu will close at 2pm on voting day, not 5pm, the commission says. "
    "Forward this to everyone in your family."
)
RUMEUR_FR = (
    "Les bureaux de vote de Dakar fermeront à 14 heures le jour du scrutin et non à 18 heures, "
    "selon la commission électorale. Partagez ce message avec toute votre famille."
)
SENEGAL = "221771234567"


def send(client: Any, placed: Any, *messages: dict[str, Any], wa_id: str = wa.WA_ID) -> None:
    with placed():
        response = wa.post_webhook(client, wa.webhook(*messages, wa_id=wa_id))
    assert response.status_code == 200, response.content


def test_a_message_becomes_a_report_answered_with_its_tracking_code(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    send(client, placed, wa.text(RUMOUR))

    report = chat_report("whatsapp")
    assert (report.channel, report.text, report.platform) == ("whatsapp", RUMOUR, "whatsapp")
    assert report.country == "KE"  # from the number's calling code
    [reply] = fake_graph.texts_to(wa.WA_ID)
    assert report.display_code in reply and "tracking code" in reply


def test_a_message_in_french_is_answered_in_french(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    send(client, placed, wa.text(RUMEUR_FR, wa_id=SENEGAL), wa_id=SENEGAL)

    report = chat_report("whatsapp")
    assert (report.language, report.country) == ("fr", "SN")
    [reply] = fake_graph.texts_to(SENEGAL)
    assert "code de suivi" in reply and report.display_code in reply


def test_the_decision_reaches_the_sender_who_reported_it(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    send(client, placed, wa.text(RUMOUR))
    report = chat_report("whatsapp")

    with placed():
        decide_case_of(report, people, client)

    received, decided = fake_graph.texts_to(wa.WA_ID)
    assert report.display_code in decided and "decided" in decided
    assert report.display_code in received


def test_the_decision_reaches_a_french_sender_in_french(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    send(client, placed, wa.text(RUMEUR_FR, wa_id=SENEGAL), wa_id=SENEGAL)
    report = chat_report("whatsapp")

    with placed():
        decide_case_of(report, people, client)

    received, decided = fake_graph.texts_to(SENEGAL)
    assert "code de suivi" in received
    assert report.display_code in decided and "décision" in decided


def test_a_forwarded_link_makes_a_report_of_the_site_it_points_to(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    sent = wa.text(
        f"Is this true? https://www.facebook.com/story.php?id=42 {RUMOUR}", forwarded=True
    )

    send(client, placed, sent)

    report = chat_report("whatsapp")
    assert (report.url, report.platform) == ("https://www.facebook.com/story.php?id=42", "facebook")
    assert messages_of("whatsapp")[0].forwarded is True


def test_a_picture_then_its_caption_make_one_report(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    send(client, placed, wa.image("1479537139650973"))
    send(client, placed, wa.text(RUMOUR))

    report = chat_report("whatsapp")
    assert report.media_count == 1 and RUMOUR in report.text
    assert len(fake_graph.texts_to(wa.WA_ID)) == 1  # one acknowledgement, not two
    statuses = sorted(report.chat_messages.values_list("status", flat=True))
    assert statuses == [InboundStatus.JOINED, InboundStatus.REPORTED]


def test_a_retried_webhook_makes_no_second_report_or_reply(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    body = json.dumps(wa.webhook(wa.text(RUMOUR))).encode()

    with placed():
        assert wa.post_webhook(client, body).status_code == 200
        assert wa.post_webhook(client, body).status_code == 200

    chat_report("whatsapp")  # exactly one
    assert len(fake_graph.texts_to(wa.WA_ID)) == 1
    assert OutboundMessage.objects.count() == 1


def test_a_status_callback_for_our_reply_changes_nothing(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    send(client, placed, wa.text(RUMOUR))

    with placed():
        for state in ("sent", "delivered", "read"):
            assert wa.post_webhook(client, wa.statuses(state)).status_code == 200

    chat_report("whatsapp")
    assert len(messages_of("whatsapp")) == 1
    assert len(fake_graph.texts_to(wa.WA_ID)) == 1
