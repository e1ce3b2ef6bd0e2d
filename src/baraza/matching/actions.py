"""State changes of matching: the fact-check library."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from pydantic import ValidationError

from baraza.accounts.models import Organisation
from baraza.audit.actions import record
from baraza.intake.actions import host_organisation
from baraza.matching.claimreview import FactCheckIn, Record
from baraza.matching.events import MatchingEvent
from baraza.matching.langid import detect_language
from baraza.matching.models import FactCheck


@dataclass(frozen=True)
class Rejected:
    where: str
    field: str
    message: str


@dataclass
class FactCheckImport:
    created: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)


def _validated(records: Iterable[Record], result: FactCheckImport) -> list[FactCheckIn]:
    valid = []
    for where, fields in records:
        if isinstance(fields, str):
            result.rejected.append(Rejected(where, "file", fields))
            continue
        try:
            valid.append(FactCheckIn.model_validate(fields))
        except ValidationError as error:
            for problem in error.errors():
                name = ".".join(str(part) for part in problem["loc"]) or "record"
                message = problem["msg"].removeprefix("Value error, ")
                result.rejected.append(Rejected(where, name, message))
    return valid


def do_import_factchecks(
    records: Iterable[Record], *, organisation: Organisation | None, actor: object, source: str
) -> FactCheckImport:
    """Add fact-checks to the library; one already there (same URL, or same claim and author)
    is counted as a duplicate, so importing a feed again is harmless."""
    result = FactCheckImport()
    valid = _validated(records, result)
    with transaction.atomic():
        known = set(
            FactCheck.objects.filter(
                fingerprint__in=[item.fingerprint() for item in valid]
            ).values_list("fingerprint", flat=True)
        )
        new = []
        for item in valid:
            fingerprint = item.fingerprint()
            if fingerprint in known:
                result.duplicates += 1
                continue
            known.add(fingerprint)
            new.append(
                FactCheck(
                    **item.model_dump(exclude={"language"}),
                    language=item.language or detect_language(item.claim),
                    fingerprint=fingerprint,
                    imported_by=organisation,
                )
            )
        FactCheck.objects.bulk_create(new)
        result.created = len(new)
        # An operator's import (`baraza import-factchecks` without --org) is made for the whole
        # coalition, so its event is about the host organisation, with no actor.
        record(
            MatchingEvent.FACTCHECKS_IMPORTED,
            organisation if organisation is not None else host_organisation(),
            actor,
            {
                "source": source[:200],
                "created": result.created,
                "duplicates": result.duplicates,
                "rejected": len(result.rejected),
                "by_operator": organisation is None,
            },
        )
    return result
