"""Every state change of review. This first part: the taxonomies."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from baraza.accounts.models import User
from baraza.audit.actions import record
from baraza.review.models import Scheme, Term
from baraza.review.taxonomy import load_disarm, parse_disarm_bundle


@dataclass(frozen=True)
class DisarmImport:
    tactics: int
    techniques: int
    new_tactics: int
    new_techniques: int


def do_import_disarm(text: str, *, actor: User | None) -> DisarmImport:
    """Load a DISARM release (STIX 2.1 bundle): new ids are added, known ids renamed to the
    release's names. Ids the release no longer has stay, so past assessments keep their meaning
    (an admin may retire them). Raises DisarmError, before any change, on a bad bundle."""
    tactics, techniques = parse_disarm_bundle(text)
    with transaction.atomic():
        new_tactics, new_techniques = load_disarm(Term, tactics, techniques)
        result = DisarmImport(len(tactics), len(techniques), new_tactics, new_techniques)
        anchor = Term.objects.get(scheme=Scheme.DISARM_TACTIC, code=tactics[0].code)
        record("review.disarm_imported", anchor, actor, dict(result.__dict__))
    return result


def do_save_term(term: Term, *, actor: User, changed: list[str]) -> Term:
    """An admin's edit of a taxonomy entry (reworded, retired, added)."""
    with transaction.atomic():
        is_new = term.pk is None
        term.save()
        record(
            "review.term_added" if is_new else "review.term_changed",
            term,
            actor,
            {"scheme": term.scheme, "code": term.code, "fields": sorted(changed)},
        )
    return term
