"""Every state change of intake: submitting and importing reports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError

from baraza.accounts.models import Member, Organisation
from baraza.accounts.permissions import Capability, require, require_capability
from baraza.audit.actions import record
from baraza.db import atomic_with_retry
from baraza.errors import InvalidField, NotFound
from baraza.intake import crypto, tracking
from baraza.intake.events import IntakeEvent
from baraza.intake.models import Channel, Election, Report
from baraza.intake.permissions import ReportAction
from baraza.intake.signals import reports_accepted
from baraza.intake.validation import ImportRow, ReportIn
from baraza.tlp import TLP


def host_organisation() -> Organisation:
    """The organisation that owns public submissions (its secretariat triages them).

    A migration creates it; this also covers a deployment that renamed it in its settings."""
    organisation, _created = Organisation.objects.get_or_create(
        slug=settings.HOST_ORGANISATION,
        defaults={"name": "Coalition secretariat", "kind": Organisation.Kind.SECRETARIAT},
    )
    return organisation


def _announce(report_ids: list[int]) -> None:
    transaction.on_commit(
        lambda: reports_accepted.send(sender=Report, report_ids=report_ids), robust=True
    )


def _resolve_tlp(requested: TLP | None, member: Member | None) -> TLP:
    if requested == TLP.RED and member is None:
        raise InvalidField(
            "tlp",
            _("TLP:RED names the people who may see a report, so it needs a member's token."),
        )
    return requested or TLP.AMBER


def _build_report(
    data: ReportIn,
    member: Member | None,
    owner: Organisation,
    election: Election | None,
    channel: str,
) -> Report:
    return Report(
        tracking_code=tracking.new_code(),
        text=data.text,
        url=data.url,
        platform=data.platform,
        country=data.country,
        language=data.language or "",
        category=data.category,
        election=election,
        channel=channel,
        contact_encrypted=crypto.encrypt(data.contact) if data.contact else "",
        tlp=_resolve_tlp(data.tlp, member),
        organisation=owner,
        submitted_by=member.user if member else None,
    )


def _election(slug: str | None) -> Election | None:
    if not slug:
        return None
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        raise InvalidField("election", _("No election has the slug %(slug)r.") % {"slug": slug})
    return election


def do_submit_report(
    data: ReportIn, *, member: Member | None, channel: str, media_count: int = 0
) -> Report:
    """Accept one report. It is committed before this returns; clustering follows in the worker."""
    with transaction.atomic():
        owner = member.organisation if member else host_organisation()
        report = _build_report(data, member, owner, _election(data.election), channel)
        report.media_count = media_count
        report.save()
        if report.tlp == TLP.RED and member is not None:
            report.recipients.add(member.user)
        record(
            IntakeEvent.REPORT_SUBMITTED,
            report,
            member.user if member else None,
            {"channel": channel, "tlp": report.tlp, "category": report.category},
        )
        _announce([report.pk])
    return report


@dataclass(frozen=True)
class RejectedRow:
    row: int
    field: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    duplicates: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


def _row_key(row: ImportRow) -> str:
    if row.external_id:
        return "id:" + row.external_id
    content = json.dumps(row.model_dump(exclude={"external_id"}), sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(content.encode()).hexdigest()


def _validate_rows(
    rows: Iterable[tuple[int, dict[str, object] | str]], result: ImportResult
) -> list[tuple[int, ImportRow]]:
    valid: list[tuple[int, ImportRow]] = []
    for number, raw in rows:
        if isinstance(raw, str):  # the parser could not read the row at all
            result.rejected.append(RejectedRow(number, "row", raw))
            continue
        try:
            valid.append((number, ImportRow.model_validate(raw)))
        except ValidationError as error:
            for problem in error.errors():
                name = ".".join(str(part) for part in problem["loc"]) or "row"
                result.rejected.append(RejectedRow(number, name, problem["msg"]))
    return valid


def check_may_import(who: object) -> Member:
    """Refuses (403) anyone who may not bulk-import: the action asks first, and the API asks
    before it reads and parses an upload of up to BARAZA_MAX_IMPORT_BYTES."""
    return require_capability(
        who,
        Capability.IMPORT_REPORTS,
        _("Bulk import is for monitors, the secretariat and administrators."),
    )


def do_import_reports(
    rows: Iterable[tuple[int, dict[str, object] | str]], *, member: Member, source: str
) -> ImportResult:
    """Import a monitor's file: every row validated, the valid ones saved batch by batch.

    Each batch is one transaction with one audit event. A row already imported by the same
    organisation (same external_id, or the same content) is counted as a duplicate and skipped,
    so importing a file twice is harmless.
    """
    check_may_import(member)
    result = ImportResult()
    valid = _validate_rows(rows, result)
    elections = {
        e.slug: e for e in Election.objects.filter(slug__in={r.election for _, r in valid})
    }
    ready: list[tuple[int, ImportRow]] = []
    for number, row in valid:
        if row.election and row.election not in elections:
            result.rejected.append(
                RejectedRow(number, "election", f"unknown election {row.election!r}")
            )
        else:
            ready.append((number, row))
    size = settings.IMPORT_BATCH_SIZE
    for start in range(0, len(ready), size):
        batch = ready[start : start + size]
        created, duplicates = atomic_with_retry(
            partial(_insert_batch, batch, member, elections, source, start // size + 1)
        )
        result.created += created
        result.duplicates += duplicates
    return result


def _insert_batch(
    batch: Sequence[tuple[int, ImportRow]],
    member: Member,
    elections: dict[str, Election],
    source: str,
    batch_number: int,
) -> tuple[int, int]:
    keyed = [(_row_key(row), row) for _, row in batch]
    seen = set(
        Report.objects.filter(
            organisation=member.organisation, idempotency_key__in=[key for key, _ in keyed]
        ).values_list("idempotency_key", flat=True)
    )
    reports = []
    for key, row in keyed:
        if key in seen:
            continue
        seen.add(key)
        report = _build_report(
            row, member, member.organisation, elections.get(row.election or ""), Channel.IMPORT
        )
        report.idempotency_key = key
        reports.append(report)
    created = Report.objects.bulk_create(reports)
    red = [r for r in created if r.tlp == TLP.RED]
    Report.recipients.through.objects.bulk_create(
        [Report.recipients.through(report_id=r.pk, user_id=member.user_id) for r in red]
    )
    record(
        IntakeEvent.REPORTS_IMPORTED,
        member.organisation,
        member.user,
        {"source": source, "batch": batch_number, "rows": len(batch), "created": len(created)},
    )
    _announce([r.pk for r in created])
    return len(created), len(batch) - len(created)


def do_reveal_contact(report: Report, *, member: Member) -> str:
    """Decrypt a reporter's contact for the owning organisation's secretariat or admins.

    Every reveal is an audit event: a reporter's contact is the most sensitive thing we hold."""
    require(member, ReportAction.REVEAL_CONTACT, report)
    if not report.contact_encrypted:
        raise NotFound(_("The reporter left no contact."))
    with transaction.atomic():
        record(IntakeEvent.CONTACT_REVEALED, report, member.user)
        return crypto.decrypt(report.contact_encrypted)
