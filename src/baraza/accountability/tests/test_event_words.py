"""Accountability's audit events told in words, in English and in French."""

from django.utils.translation import override

from baraza.accountability.events import AccountabilityEvent
from baraza.accountability.tests.helpers import refer
from baraza.accounts.models import Organisation
from baraza.audit.events import describe
from baraza.audit.models import AuditEvent


def told(event, language="en"):
    with override(language):
        return describe(event)


def test_it_describes_a_referral_by_recipient_and_requested_action(db):
    Organisation.objects.create(slug="examplebook", name="ExampleBook", kind="platform")
    # The payload `do_refer_case` records.
    event = AuditEvent(
        action=AccountabilityEvent.CASE_REFERRED,
        payload={"referral": 4, "recipient": "examplebook", "requested_action": "remove"},
    )
    assert told(event) == "Referred to ExampleBook: remove the content"
    assert told(event, "fr") == "Transmis à ExampleBook : retirer le contenu"


def test_a_real_referral_is_told_in_words(people, client, platforms, decided_case):
    assert refer(client, people.secretariat, decided_case).status_code == 201
    event = AuditEvent.objects.about(decided_case).get(action=AccountabilityEvent.CASE_REFERRED)
    name = people.secretariat.organisation.name
    assert told(event) == f"Referred to Metaplat: remove the content · by {name}"
    assert told(event, "fr") == f"Transmis à Metaplat : retirer le contenu · par {name}"


def test_it_describes_responses_and_reminders():
    response = AuditEvent(
        action=AccountabilityEvent.RESPONSE_RECORDED,
        payload={"referral": 4, "response": 9, "kind": "actioned"},
    )
    reminder = AuditEvent(
        action=AccountabilityEvent.REMINDER_SENT,
        payload={"referral": 4, "reminder": 2, "liaisons": 1},
    )
    nobody = AuditEvent(
        action=AccountabilityEvent.REMINDER_SENT,
        payload={"referral": 4, "reminder": 1, "liaisons": 0},
    )
    assert told(response) == "Response to referral #4: actioned"
    assert told(reminder) == "Referral #4 overdue: reminder 2 sent"
    assert told(nobody) == "Referral #4 overdue: no liaison to remind"
    assert told(response, "fr") == "Réponse à la transmission n° 4 : traité"
    assert told(reminder, "fr") == "Transmission n° 4 en retard : relance n° 2 envoyée"
    assert told(nobody, "fr") == (
        "Transmission n° 4 en retard : aucun chargé de liaison à relancer"
    )


def test_it_describes_research_keys_and_queries():
    created = AuditEvent(
        action=AccountabilityEvent.RESEARCH_KEY_CREATED,
        payload={
            "holder": "Dr Achieng, Maseno University",
            "expires_at": "2027-03-01T09:30:00+00:00",
        },
    )
    revoked = AuditEvent(
        action=AccountabilityEvent.RESEARCH_KEY_REVOKED,
        payload={"holder": "Dr Achieng, Maseno University"},
    )
    query = AuditEvent(
        action=AccountabilityEvent.RESEARCH_QUERY,
        payload={"operation": "research_reports", "country": "KE", "limit": 100, "rows": 1},
    )
    assert told(created) == (
        "Research key created for Dr Achieng, Maseno University, valid until 1 March 2027 09:30 UTC"
    )
    assert told(revoked) == "Research key of Dr Achieng, Maseno University revoked"
    assert told(query) == "Research query on reports: 1 row"
    assert told(created, "fr") == (
        "Clé de recherche créée pour Dr Achieng, Maseno University, "
        "valable jusqu'au 1 mars 2027 09:30 UTC"
    )
    assert told(revoked, "fr") == "Clé de recherche de Dr Achieng, Maseno University révoquée"
    cases = AuditEvent(
        action=AccountabilityEvent.RESEARCH_QUERY,
        payload={"operation": "research_cases", "rows": 40},
    )
    assert told(cases, "fr") == "Requête de recherche sur les dossiers : 40 lignes"
