"""What our replies put on the wire to WhatsApp's Cloud API, the 24-hour customer-service
window, and how the API's failures are taken: requests shaped as
https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages documents, errors as
https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes lists them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from baraza.channels.actions import message_key
from baraza.channels.models import OutboundKind, OutboundMessage, OutboundStatus, Sender
from baraza.channels.providers import Outgoing, SendFailed
from baraza.channels.providers.whatsapp import WhatsApp
from baraza.channels.tests import fake_whatsapp as wa
from baraza.channels.tests.fake_whatsapp import FakeGraphAPI
from baraza.channels.tests.journeys import chat_report, decide_case_of

TO = f"+{wa.WA_ID}"
RUMOUR = (
    "Polling stations in Kisumu will close at 2pm on voting day, not 5pm, the commission says. "
    "Forward this to everyone in your family."
)


def outgoing(
    text: str = "Thank you. Your tracking code is ABCD-EFGH.",
    *,
    kind: str = OutboundKind.RECEIVED,
    since: timedelta | None = timedelta(minutes=5),
    report_code: str = "ABCD-EFGH",
) -> Outgoing:
    return Outgoing(
        address=TO,
        text=text,
        kind=kind,
        language="en",
        last_inbound_at=timezone.now() - since if since is not None else None,
        report_code=report_code,
    )


def failure(message: Outgoing | None = None) -> SendFailed:
    with pytest.raises(SendFailed) as raised:
        WhatsApp().send(message or outgoing())
    return raised.value


# --- on the wire -----------------------------------------------------------------------------


def test_a_reply_is_posted_to_the_numbers_messages_endpoint_with_the_bearer_token(
    fake_graph: FakeGraphAPI,
) -> None:
    sent_id = WhatsApp().send(outgoing("Thank you. Your tracking code is ABCD-EFGH."))

    [request] = fake_graph.requests
    assert request.method == "POST"
    assert request.path == f"/{wa.API_VERSION}/{wa.PHONE_NUMBER_ID}/messages"
    assert request.headers["authorization"] == f"Bearer {wa.ACCESS_TOKEN}"
    assert request.headers["content-type"].startswith("application/json")
    assert request.json() == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": wa.WA_ID,
        "type": "text",
        "text": {"preview_url": False, "body": "Thank you. Your tracking code is ABCD-EFGH."},
    }
    assert sent_id == fake_graph.issued[0]


def test_a_long_reply_goes_in_parts_the_api_accepts(fake_graph: FakeGraphAPI) -> None:
    long = " ".join(["The commission's statement in full."] * 200)  # about 7,200 characters

    sent_ids = WhatsApp().send(outgoing(long))

    parts = fake_graph.texts_to(wa.WA_ID)
    assert len(parts) == 2
    assert all(len(part) <= 4096 for part in parts)
    assert " ".join(parts) == long
    assert sent_ids == ",".join(fake_graph.issued)


def test_the_provider_needs_all_four_settings(fake_graph: FakeGraphAPI, settings: Any) -> None:
    assert WhatsApp().configured()

    settings.WHATSAPP_ACCESS_TOKEN = None

    assert WhatsApp().missing_settings() == ["WHATSAPP_ACCESS_TOKEN"]


# --- the 24-hour window ----------------------------------------------------------------------


def test_a_decision_outside_the_window_goes_as_the_approved_template(
    fake_graph: FakeGraphAPI, settings: Any
) -> None:
    settings.WHATSAPP_DECISION_TEMPLATE = "case_decided"
    settings.WHATSAPP_TEMPLATE_LANGUAGE = "fr"
    late = outgoing(kind=OutboundKind.DECISION, since=timedelta(hours=25), report_code="KQ7M-4XPD")

    sent_id = WhatsApp().send(late)

    assert [r.json() for r in fake_graph.requests] == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": wa.WA_ID,
            "type": "template",
            "template": {
                "name": "case_decided",
                "language": {"code": "fr"},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": "KQ7M-4XPD"}]}
                ],
            },
        }
    ]
    assert sent_id == fake_graph.issued[0]


def test_a_sender_we_never_heard_from_gets_only_the_template(
    fake_graph: FakeGraphAPI, settings: Any
) -> None:
    settings.WHATSAPP_DECISION_TEMPLATE = "case_decided"

    WhatsApp().send(outgoing(kind=OutboundKind.DECISION, since=None))

    assert [body["type"] for body in fake_graph.sent()] == ["template"]


def test_a_decision_outside_the_window_without_a_template_fails_for_good(
    fake_graph: FakeGraphAPI,
) -> None:
    failed = failure(outgoing(kind=OutboundKind.DECISION, since=timedelta(hours=24, seconds=1)))

    assert failed.retry is False
    assert "24-hour window" in failed.reason
    assert fake_graph.requests == []


def test_other_replies_outside_the_window_fail_even_with_a_template(
    fake_graph: FakeGraphAPI, settings: Any
) -> None:
    settings.WHATSAPP_DECISION_TEMPLATE = "case_decided"

    failed = failure(outgoing(kind=OutboundKind.STATUS, since=timedelta(days=3)))

    assert failed.retry is False
    assert "no approved template" in failed.reason
    assert fake_graph.requests == []


# --- the API's failures ----------------------------------------------------------------------


def test_a_server_error_is_worth_retrying(fake_graph: FakeGraphAPI) -> None:
    fake_graph.fail_next(
        r"/messages$", 500, wa.graph_error("An unknown error occurred", "OAuthException", 1)
    )

    failed = failure()

    assert failed.retry is True
    assert "500" in failed.reason


def test_too_many_requests_is_retried_after_the_time_meta_asks(fake_graph: FakeGraphAPI) -> None:
    fake_graph.fail_next(
        r"/messages$",
        429,
        wa.graph_error("(#130429) Rate limit hit", "OAuthException", 130429),
        headers={"Retry-After": "30"},
    )

    failed = failure()

    assert (failed.retry, failed.retry_after) == (True, 30.0)


def test_a_pair_rate_limit_answered_with_400_is_still_retried(fake_graph: FakeGraphAPI) -> None:
    fake_graph.fail_next(
        r"/messages$",
        400,
        wa.graph_error(
            "(#131056) (Business Account, Consumer Account) pair rate limit hit",
            "OAuthException",
            131056,
        ),
    )

    assert failure().retry is True


def test_an_undeliverable_number_fails_for_good_with_metas_words(
    fake_graph: FakeGraphAPI,
) -> None:
    fake_graph.fail_next(
        r"/messages$",
        400,
        wa.graph_error(
            "(#131026) Message Undeliverable",
            "OAuthException",
            131026,
            error_data={"messaging_product": "whatsapp", "details": "Message Undeliverable."},
        ),
    )

    failed = failure()

    assert failed.retry is False
    assert "131026" in failed.reason and "Undeliverable" in failed.reason


def test_a_re_engagement_error_fails_for_good(fake_graph: FakeGraphAPI) -> None:
    fake_graph.fail_next(
        r"/messages$",
        400,
        wa.graph_error("(#131047) Re-engagement message", "OAuthException", 131047),
    )

    assert failure().retry is False


def test_a_wrong_access_token_fails_for_good(fake_graph: FakeGraphAPI, settings: Any) -> None:
    settings.WHATSAPP_ACCESS_TOKEN = "EAAJexpired"

    failed = failure()

    assert failed.retry is False
    assert "401" in failed.reason and "access token" in failed.reason


def test_a_wrong_phone_number_id_fails_for_good(fake_graph: FakeGraphAPI, settings: Any) -> None:
    settings.WHATSAPP_PHONE_NUMBER_ID = "999999999999999"

    failed = failure()

    assert failed.retry is False
    assert "999999999999999" in failed.reason


def test_a_timeout_is_worth_retrying(fake_graph: FakeGraphAPI, settings: Any) -> None:
    settings.CHANNEL_SEND_TIMEOUT_SECONDS = 1
    fake_graph.fail_next(r"/messages$", 200, {}, delay=2)

    failed = failure()

    assert failed.retry is True
    assert "timed out" in failed.reason


def test_an_answer_without_a_message_id_is_not_sent_again(fake_graph: FakeGraphAPI) -> None:
    # The API took the message; sending it again could deliver it twice.
    fake_graph.fail_next(r"/messages$", 200, {"messaging_product": "whatsapp"})

    assert failure().retry is False


# --- through the real flow -------------------------------------------------------------------


def report_by_whatsapp(client: Any, placed: Any) -> Any:
    with placed():
        response = wa.post_webhook(client, wa.webhook(wa.text(RUMOUR)))
    assert response.status_code == 200, response.content
    return chat_report("whatsapp")


def the_window_closes() -> None:
    Sender.objects.filter(provider="whatsapp").update(
        last_inbound_at=timezone.now() - timedelta(hours=25)
    )


def decision_notice() -> OutboundMessage:
    return OutboundMessage.objects.get(kind=OutboundKind.DECISION)


@pytest.mark.django_db
def test_a_report_is_acknowledged_in_free_text_inside_the_window(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    report = report_by_whatsapp(client, placed)

    [reply] = fake_graph.texts_to(wa.WA_ID)
    assert report.display_code in reply
    sent = OutboundMessage.objects.get(kind=OutboundKind.RECEIVED)
    assert sent.status == OutboundStatus.SENT
    assert sent.provider_message_id == message_key("whatsapp", fake_graph.issued[0])


@pytest.mark.django_db
def test_a_decision_after_the_window_reaches_the_sender_as_the_template(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any, settings: Any
) -> None:
    settings.WHATSAPP_DECISION_TEMPLATE = "case_decided"
    report = report_by_whatsapp(client, placed)
    the_window_closes()

    with placed():
        decide_case_of(report, people, client)

    [template] = fake_graph.templates_to(wa.WA_ID)
    assert template["name"] == "case_decided"
    assert template["components"][0]["parameters"] == [
        {"type": "text", "text": report.display_code}
    ]
    assert len(fake_graph.texts_to(wa.WA_ID)) == 1  # only the acknowledgement was free text
    assert decision_notice().status == OutboundStatus.SENT


@pytest.mark.django_db
def test_a_decision_after_the_window_without_a_template_is_failed_with_the_reason(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    report = report_by_whatsapp(client, placed)
    the_window_closes()

    with placed():
        decide_case_of(report, people, client)

    notice = decision_notice()
    assert notice.status == OutboundStatus.FAILED
    assert notice.last_error == (
        "outside WhatsApp's 24-hour window and no approved template is configured"
    )
    assert len(fake_graph.requests) == 1  # the acknowledgement; the notice never went out


@pytest.mark.django_db
def test_a_reply_meta_could_not_take_stays_queued_with_the_reason(
    fake_graph: FakeGraphAPI, client: Any, placed: Any, people: Any
) -> None:
    fake_graph.fail_next(
        r"/messages$", 503, wa.graph_error("Service temporarily unavailable", "OAuthException", 2)
    )

    report_by_whatsapp(client, placed)

    reply = OutboundMessage.objects.get(kind=OutboundKind.RECEIVED)
    assert (reply.status, reply.attempts) == (OutboundStatus.QUEUED, 1)
    assert "503" in reply.last_error
    assert reply.next_attempt_at > timezone.now()
