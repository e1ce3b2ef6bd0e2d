"""An SMS, end to end, through each provider: in by the webhook, a report with the country of the
sender's number, the reply with the tracking code in the sender's language, the decision told
to the sender by SMS."""

from __future__ import annotations

from typing import Any

from baraza.channels.providers.sms import MAX_PARTS, segments
from baraza.channels.tests.fake_sms import (
    FakeAfricasTalking,
    FakeTwilio,
    at_incoming,
    post_at,
    post_twilio,
    twilio_incoming,
)
from baraza.channels.tests.journeys import chat_report, decide_case_of

RUMOUR_KE = (
    "Polling stations in Kisumu will close at 2pm on voting day, not 5pm, the commission says. "
    "Forward this to everyone in your family."
)
RUMOUR_NG = (
    "INEC says polling units in Kano will close at 2pm on election day, not 5pm. Voters who "
    "arrive later will be turned away. Share with everyone."
)
RUMEUR_CI = (
    "Les bureaux de vote d'Abidjan fermeront à 14 heures le jour du scrutin et non à 18 heures, "
    "selon la commission électorale. Partagez ce message avec toute votre famille."
)


def test_an_sms_through_africas_talking_is_reported_answered_and_told_the_decision(
    fake_africastalking: FakeAfricasTalking, client: Any, placed: Any, people: Any
) -> None:
    with placed():
        response = post_at(client, at_incoming(RUMOUR_KE, sender="+254711000010"))

    assert response.status_code == 200
    report = chat_report("africastalking")
    assert (report.channel, report.text, report.country) == ("sms", RUMOUR_KE, "KE")
    [reply] = fake_africastalking.texts_to("+254711000010")
    assert report.display_code in reply and "tracking code" in reply

    with placed():
        decide_case_of(report, people, client)

    received, decided = fake_africastalking.texts_to("+254711000010")
    assert received == reply
    assert report.display_code in decided and "decided" in decided
    assert segments(decided) <= MAX_PARTS


def test_an_sms_through_twilio_is_reported_answered_and_told_the_decision(
    fake_twilio: FakeTwilio, client: Any, placed: Any, people: Any
) -> None:
    with placed():
        response = post_twilio(client, twilio_incoming(RUMOUR_NG, sender="+2348031000010"))

    assert response.status_code == 200
    report = chat_report("twilio")
    assert (report.channel, report.text, report.country) == ("sms", RUMOUR_NG, "NG")
    [reply] = fake_twilio.texts_to("+2348031000010")
    assert report.display_code in reply and "tracking code" in reply

    with placed():
        decide_case_of(report, people, client)

    received, decided = fake_twilio.texts_to("+2348031000010")
    assert received == reply
    assert report.display_code in decided and "decided" in decided
    assert segments(decided) <= MAX_PARTS


def test_a_french_sms_is_answered_in_french(
    fake_africastalking: FakeAfricasTalking, client: Any, placed: Any, people: Any
) -> None:
    with placed():
        post_at(client, at_incoming(RUMEUR_CI, sender="+2250701000010"))

    report = chat_report("africastalking")
    assert (report.country, report.language) == ("CI", "fr")
    [reply] = fake_africastalking.texts_to("+2250701000010")
    assert report.display_code in reply and "code de suivi" in reply
