"""Review's audit events told in words, in English and in French."""

from django.utils.translation import override

from baraza.audit.events import describe
from baraza.audit.models import AuditEvent
from baraza.review.actions import do_assign_case
from baraza.review.events import ReviewEvent
from baraza.review.tests.helpers import case_of

DUE = "2026-12-12T14:00:00+00:00"


def told(event, language="en"):
    with override(language):
        return describe(event)


def assignment(picked=False):
    # The payload `do_assign_case` records.
    return AuditEvent(
        action=ReviewEvent.CASE_ASSIGNED,
        payload={
            "reviewer": 4,
            "organisation": "sauti",
            "picked": picked,
            "shared": True,
            "status_from": "new",
            "due_at": DUE,
        },
    )


def test_it_describes_an_assignment_in_words(people):
    assert (
        told(assignment()) == "Reviewer assigned: Sauti Civic Watch, due 12 December 2026 14:00 UTC"
    )


def test_it_describes_an_assignment_in_words_in_french(people):
    assert told(assignment(), "fr") == (
        "Examinateur désigné : Sauti Civic Watch, échéance le 12 décembre 2026 14:00 UTC"
    )


def test_it_describes_a_reviewer_taking_a_case(people):
    assert told(assignment(picked=True)) == "Taken for review, due 12 December 2026 14:00 UTC"
    assert told(assignment(picked=True), "fr") == (
        "Dossier pris en charge pour examen, échéance le 12 décembre 2026 14:00 UTC"
    )


def test_a_real_assignment_names_the_organisation_never_the_reviewers_address(people, make_report):
    case = case_of(make_report(None, tlp="amber"))
    do_assign_case(case, people.bob.member, by=people.secretariat.member)
    event = AuditEvent.objects.about(case).get(action=ReviewEvent.CASE_ASSIGNED)
    for language in ("en", "fr"):
        words = told(event, language)
        assert "Sauti Civic Watch" in words
        assert people.secretariat.organisation.name in words
        assert "bob@" not in words and "review.case_assigned" not in words


def test_it_describes_assessments_and_their_corrections():
    first = AuditEvent(
        action=ReviewEvent.ASSESSMENT_SUBMITTED,
        payload={"assessment": 1, "organisation": "sauti", "supersedes": False},
    )
    again = AuditEvent(
        action=ReviewEvent.ASSESSMENT_SUBMITTED,
        payload={"assessment": 2, "organisation": "sauti", "supersedes": True},
    )
    assert (told(first), told(again)) == ("Assessment submitted", "Assessment corrected")
    assert (told(first, "fr"), told(again, "fr")) == ("Évaluation envoyée", "Évaluation corrigée")


def test_it_describes_a_decision_by_its_verdict_and_an_override(db):
    # The payload `do_decide_case` records; the verdict is a taxonomy code.
    verdict = AuditEvent(
        action=ReviewEvent.CASE_DECIDED,
        payload={"decision": 1, "outcome": "verdict", "verdict": "false", "override": False},
    )
    forced = AuditEvent(
        action=ReviewEvent.CASE_DECIDED,
        payload={"decision": 2, "outcome": "out_of_scope", "verdict": None, "override": True},
    )
    assert told(verdict) == "Decision recorded: False"
    assert told(forced) == "Decision recorded: Out of scope · without enough assessments"
    assert told(verdict, "fr") == "Décision enregistrée : False"
    assert told(forced, "fr") == ("Décision enregistrée : Hors du champ · sans assez d'évaluations")


def test_it_describes_appeals():
    by_reporter = AuditEvent(
        action=ReviewEvent.APPEAL_FILED, payload={"appeal": 1, "decision": 1, "by_reporter": True}
    )
    upheld = AuditEvent(
        action=ReviewEvent.APPEAL_DECIDED,
        payload={"appeal": 1, "outcome": "upheld", "decision": 1, "override": False},
    )
    assert told(by_reporter) == "Appeal filed by the reporter"
    assert told(upheld) == "Appeal decided: Decision upheld"
    assert told(by_reporter, "fr") == "Recours déposé par la personne qui a signalé"
    assert told(upheld, "fr") == "Recours tranché : Décision maintenue"


def test_it_describes_taxonomy_changes():
    added = AuditEvent(
        action=ReviewEvent.TERM_ADDED, payload={"scheme": "verdict", "code": "satire", "fields": []}
    )
    changed = AuditEvent(
        action=ReviewEvent.TERM_CHANGED,
        payload={"scheme": "severity", "code": "3", "fields": ["active", "label"]},
    )
    disarm = AuditEvent(
        action=ReviewEvent.DISARM_IMPORTED,
        payload={"tactics": 16, "techniques": 300, "new_tactics": 0, "new_techniques": 2},
    )
    assert told(added) == "Taxonomy entry added: Verdict satire"
    assert told(changed) == "Taxonomy entry changed: Severity 3 (active, label)"
    assert told(disarm) == ("DISARM framework loaded: 16 tactics (0 new), 300 techniques (2 new)")
    assert told(added, "fr") == "Entrée de taxonomie ajoutée : Verdict satire"
    assert told(changed, "fr") == "Entrée de taxonomie modifiée : Gravité 3 (active, label)"
    assert told(disarm, "fr") == (
        "Référentiel DISARM chargé — tactiques : 16 (nouvelles : 0), "
        "techniques : 300 (nouvelles : 2)"
    )
