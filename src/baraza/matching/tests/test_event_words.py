"""Matching's audit events told in words, in English and in French."""

from django.utils.translation import override

from baraza.audit.events import describe
from baraza.audit.models import AuditEvent
from baraza.matching.events import MatchingEvent


def told(event, language="en"):
    with override(language):
        return describe(event)


def test_it_describes_a_fact_check_import_by_a_member():
    event = AuditEvent(
        action=MatchingEvent.FACTCHECKS_IMPORTED,
        payload={"source": "feed.jsonld", "created": 2, "duplicates": 1, "by_operator": False},
    )
    assert told(event) == "Fact-checks imported: 2 new, 1 already in the library"
    assert told(event, "fr") == (
        "Vérifications importées — nouvelles : 2, déjà dans la bibliothèque : 1"
    )


def test_it_describes_an_operators_import():
    event = AuditEvent(
        action=MatchingEvent.FACTCHECKS_IMPORTED,
        payload={"source": "/srv/feeds", "created": 5, "duplicates": 0, "by_operator": True},
    )
    assert told(event) == "Fact-checks imported by an operator: 5 new, 0 already in the library"
    assert told(event, "fr") == (
        "Vérifications importées par un opérateur — nouvelles : 5, déjà dans la bibliothèque : 0"
    )
