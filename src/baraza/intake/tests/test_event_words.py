"""Intake's audit events told in words, in English and in French."""

from django.utils.translation import override

from baraza.audit.events import describe
from baraza.audit.models import AuditEvent
from baraza.intake.actions import do_reveal_contact
from baraza.intake.events import IntakeEvent


def told(event, language="en"):
    with override(language):
        return describe(event)


def test_it_describes_a_submission_in_words(people, make_report):
    report = make_report(people.amina)
    event = AuditEvent.objects.about(report).get(action=IntakeEvent.REPORT_SUBMITTED)
    assert told(event) == "Report received · by Ukweli Fact-Check"
    assert told(event, "fr") == "Signalement reçu · par Ukweli Fact-Check"


def test_it_describes_an_import_batch_in_words_in_english_and_french():
    # The payload `do_import_reports` records for each batch.
    event = AuditEvent(
        action=IntakeEvent.REPORTS_IMPORTED,
        payload={"source": "monitors.csv", "batch": 2, "rows": 500, "created": 480},
    )
    assert told(event) == "Reports imported: 480 new of 500 rows (batch 2)"
    assert told(event, "fr") == ("Signalements importés (lot 2) — nouveaux : 480 sur 500 lignes")


def test_it_describes_a_contact_reveal_without_the_contact(people, make_report):
    report = make_report(None, contact="+254 700 000 001")
    do_reveal_contact(report, member=people.secretariat.member)
    event = AuditEvent.objects.about(report).get(action=IntakeEvent.CONTACT_REVEALED)
    name = people.secretariat.organisation.name
    assert told(event) == f"Reporter's contact shown · by {name}"
    assert told(event, "fr") == f"Contact de la personne qui a signalé affiché · par {name}"
