"""Cases' audit events told in words, in English and in French."""

from django.utils.translation import override

from baraza.audit.events import describe
from baraza.audit.models import AuditEvent
from baraza.cases.actions import do_change_case_status
from baraza.cases.events import CaseEvent
from baraza.cases.models import Case


def told(event, language="en"):
    with override(language):
        return describe(event)


def test_it_describes_a_status_change_with_its_note(people, make_report):
    case = Case.objects.get(links__report=make_report(None))
    do_change_case_status(case, "triaged", member=people.secretariat.member, note="checked")
    event = AuditEvent.objects.about(case).get(action=CaseEvent.STATUS_CHANGED)
    name = people.secretariat.organisation.name
    assert told(event) == f"Status changed: New → Triaged — checked · by {name}"
    assert told(event, "fr") == f"Statut modifié : Nouveau → Trié — checked · par {name}"


def test_it_describes_a_placement_with_its_reason_and_similarity():
    event = AuditEvent(
        action=CaseEvent.REPORT_PLACED,
        payload={"report": 7, "reason": "similar", "similarity": 0.9134},
    )
    assert told(event) == (
        "Report added to the case: Same claim (similar meaning) · similarity 0.91"
    )
    assert told(event, "fr") == (
        "Signalement ajouté au dossier : Même affirmation (sens proche) · similarité 0.91"
    )


def test_it_names_the_other_case_of_a_merge_a_split_and_a_rejected_link():
    merged = AuditEvent(action=CaseEvent.MERGED, payload={"from_case": 12, "reports": [3]})
    split = AuditEvent(action=CaseEvent.SPLIT, payload={"to_case": 13, "reports": [4]})
    rejected = AuditEvent(
        action=CaseEvent.SUGGESTION_REJECTED, payload={"candidate": 14, "similarity": 0.88}
    )
    assert told(merged) == "Another case merged into this one · case #12"
    assert told(split) == "Reports moved to a new case · case #13"
    assert told(rejected) == "Suggested link rejected: different claims · case #14"
    assert told(merged, "fr") == "Un autre dossier a été fusionné dans celui-ci · dossier n° 12"
    assert told(split, "fr") == "Signalements déplacés dans un nouveau dossier · dossier n° 13"
    assert told(rejected, "fr") == (
        "Lien suggéré rejeté : affirmations différentes · dossier n° 14"
    )


def test_it_names_the_organisations_a_case_was_shared_with_but_never_the_people(people):
    event = AuditEvent(
        action=CaseEvent.SHARED,
        payload={"organisations": ["sauti", "gaskiya"], "people": [5], "reports": 1},
    )
    assert told(event) == "Shared with Sauti Civic Watch, Gaskiya Media Lab and 1 named person"
    assert told(event, "fr") == (
        "Partagé avec Sauti Civic Watch, Gaskiya Media Lab et 1 personne désignée"
    )
    people_only = AuditEvent(
        action=CaseEvent.SHARED, payload={"organisations": [], "people": [5, 6]}
    )
    assert told(people_only, "fr") == "Partagé avec 2 personnes désignées"


def test_an_undeclared_code_of_an_old_row_is_shown_as_it_was_stored():
    event = AuditEvent(action="cases.renamed_long_ago", payload={"x": 1})
    assert told(event) == told(event, "fr") == "cases.renamed_long_ago"


def test_an_old_payload_of_another_shape_falls_back_to_the_words():
    event = AuditEvent(action=CaseEvent.MERGED, payload={})
    assert told(event) == "Another case merged into this one"
    assert told(event, "fr") == "Un autre dossier a été fusionné dans celui-ci"
