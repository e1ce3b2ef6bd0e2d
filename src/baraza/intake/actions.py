"""Every state change of intake: submitting and importing reports."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError

from baraza.accounts.models import Member, Organisation
from baraza.accounts.permissions import Capability, require, require_capability
from baraza.audit.actions import record
from baraza.db import atomic_with_retry
from baraza.errors import InvalidField, NotFound, TooLarge
from baraza.intake import attachments, crypto, tracking
from baraza.intake.events import IntakeEvent
from baraza.intake.importing import media_names
from baraza.intake.models import Channel, Election, Report
from baraza.intake.permissions import ReportAction
from baraza.intake.signals import reports_accepted
from baraza.intake.validation import ImportRow, ReportIn
from baraza.spreadsheet import any_formula_like
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
    data: ReportIn,
    *,
    member: Member | None,
    channel: str,
    media_count: int = 0,
    files: list[Any] | None = None,
) -> Report:
    """Accept one report. It is committed before this returns; clustering follows in the worker.

    `files`: uploads already checked by the media handler (`attachments.media_handler().checked`),
    kept with the report in its transaction. `media_count` counts media that arrive otherwise
    (a tipline's, fetched later)."""
    with transaction.atomic():
        owner = member.organisation if member else host_organisation()
        report = _build_report(data, member, owner, _election(data.election), channel)
        report.media_count = media_count + len(files or [])
        report.save()
        if report.tlp == TLP.RED and member is not None:
            report.recipients.add(member.user)
        if files:
            attachments.media_handler().attach(report, files, member)
        record(
            IntakeEvent.REPORT_SUBMITTED,
            report,
            member.user if member else None,
            {
                "channel": channel,
                "tlp": report.tlp,
                "category": report.category,
                "files": len(files or []),
            },
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
    # Rows imported with text a spreadsheet would run as a formula: kept as written, marked.
    formula_like: list[int] = field(default_factory=list)


class ImportedFile(attachments.Upload, Protocol):
    """A file an import's row names, as its source hands it over; `sha256` once it was read."""

    @property
    def sha256(self) -> str: ...


class ImportMedia(Protocol):
    """Where an import's rows find the files they name (an import's zip)."""

    def medium(self, name: str) -> ImportedFile:
        """The file, or InvalidField (on `media`) saying why it cannot be had."""


@dataclass(frozen=True)
class ValidRow:
    number: int
    row: ImportRow
    media: list[str]  # the names of the files the row says came with it
    formula_like: bool = False  # text begins like a spreadsheet formula (baraza.spreadsheet)


@dataclass(frozen=True)
class ReadyRow:
    number: int
    row: ImportRow
    files: list[Any]  # checked by the media handler, valid while the batch is imported
    hashes: list[str]  # their SHA-256, sorted: part of the row's content
    formula_like: bool = False


def _row_key(row: ImportRow, hashes: Sequence[str] = ()) -> str:
    if row.external_id:
        return "id:" + row.external_id
    content = json.dumps(row.model_dump(exclude={"external_id"}), sort_keys=True, default=str)
    if hashes:  # the same words with another picture are another report
        content += "\0" + "\0".join(hashes)
    return "sha256:" + hashlib.sha256(content.encode()).hexdigest()


def _row_media(fields: dict[str, object], media: ImportMedia | None) -> tuple[list[str], str]:
    """The files a row names (taken out of its fields), and what is wrong with them, if any."""
    value = fields.pop("media", None)
    if value is None:
        return [], ""
    try:
        names = media_names(value)
    except ValueError as error:
        return [], str(error)
    if names and media is None:
        return names, _(
            "This row names files (%(names)s); files come only in a .zip with the CSV or JSONL "
            "file."
        ) % {"names": ", ".join(names)[:200]}
    return names, ""


def _validate_rows(
    rows: Iterable[tuple[int, dict[str, object] | str]],
    result: ImportResult,
    media: ImportMedia | None,
) -> list[ValidRow]:
    valid: list[ValidRow] = []
    for number, raw in rows:
        if isinstance(raw, str):  # the parser could not read the row at all
            result.rejected.append(RejectedRow(number, "row", raw))
            continue
        fields = dict(raw)
        names, problem = _row_media(fields, media)
        try:
            row = ImportRow.model_validate(fields, context={"media": len(names)})
        except ValidationError as error:
            for issue in error.errors():
                name = ".".join(str(part) for part in issue["loc"]) or "row"
                result.rejected.append(RejectedRow(number, name, issue["msg"]))
            row = None
        if problem:
            result.rejected.append(RejectedRow(number, "media", problem))
        elif row is not None:
            # A contact is encrypted and never written out, and phone numbers begin with +.
            marked = any_formula_like(row.model_dump(exclude={"contact"}).values())
            valid.append(ValidRow(number, row, names, marked))
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
    rows: Iterable[tuple[int, dict[str, object] | str]],
    *,
    member: Member,
    source: str,
    media: ImportMedia | None = None,
) -> ImportResult:
    """Import a monitor's file: every row validated, the valid ones saved batch by batch.

    Each batch is one transaction with one audit event. A row already imported by the same
    organisation (same external_id, or the same content) is counted as a duplicate and skipped,
    so importing a file twice is harmless.

    `media`: where the files the rows name are found (a zip's). A row's files are checked by
    the media handler before its batch is saved; a row naming a missing or refused file is
    rejected (on `media`, naming the file) and the others are imported.

    Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) is kept
    as written; the rows are marked in `formula_like` and in the batch's audit event.
    """
    check_may_import(member)
    result = ImportResult()
    valid = _validate_rows(rows, result, media)
    elections = {
        e.slug: e for e in Election.objects.filter(slug__in={v.row.election for v in valid})
    }
    ready: list[ValidRow] = []
    for item in valid:
        if item.row.election and item.row.election not in elections:
            result.rejected.append(
                RejectedRow(item.number, "election", f"unknown election {item.row.election!r}")
            )
        else:
            ready.append(item)
    size = settings.IMPORT_BATCH_SIZE
    for start in range(0, len(ready), size):
        with ExitStack() as files_of_batch:
            batch = _with_media(ready[start : start + size], media, files_of_batch, result)
            created, duplicates, marked = atomic_with_retry(
                partial(_insert_batch, batch, member, elections, source, start // size + 1)
            )
        result.created += created
        result.duplicates += duplicates
        result.formula_like += marked
    return result


def _with_media(
    batch: Sequence[ValidRow], media: ImportMedia | None, stack: ExitStack, result: ImportResult
) -> list[ReadyRow]:
    """The batch's rows with their files checked (held until `stack` closes); a row whose
    files cannot be had or are refused is rejected."""
    ready = []
    for item in batch:
        if not item.media or media is None:
            ready.append(ReadyRow(item.number, item.row, [], [], item.formula_like))
            continue
        try:
            uploads = [media.medium(name) for name in item.media]
            files = stack.enter_context(attachments.media_handler().checked(uploads))
        except (InvalidField, TooLarge) as refused:
            result.rejected.append(RejectedRow(item.number, "media", refused.message))
            continue
        hashes = sorted(upload.sha256 for upload in uploads)
        ready.append(ReadyRow(item.number, item.row, files, hashes, item.formula_like))
    return ready


def _insert_batch(
    batch: Sequence[ReadyRow],
    member: Member,
    elections: dict[str, Election],
    source: str,
    batch_number: int,
) -> tuple[int, int, list[int]]:
    """Saves the batch's new rows; answers how many were created, how many were duplicates, and
    the numbers of the created rows whose text begins like a spreadsheet formula."""
    keyed = [(_row_key(item.row, item.hashes), item) for item in batch]
    seen = set(
        Report.objects.filter(
            organisation=member.organisation, idempotency_key__in=[key for key, _ in keyed]
        ).values_list("idempotency_key", flat=True)
    )
    reports, files, marked = [], [], []
    for key, item in keyed:
        if key in seen:
            continue
        seen.add(key)
        if item.formula_like:
            marked.append(item.number)
        report = _build_report(
            item.row,
            member,
            member.organisation,
            elections.get(item.row.election or ""),
            Channel.IMPORT,
        )
        report.idempotency_key = key
        report.media_count = len(item.files)
        reports.append(report)
        files.append(item.files)
    created = Report.objects.bulk_create(reports)
    red = [r for r in created if r.tlp == TLP.RED]
    Report.recipients.through.objects.bulk_create(
        [Report.recipients.through(report_id=r.pk, user_id=member.user_id) for r in red]
    )
    for report, checked in zip(created, files, strict=True):
        if checked:
            attachments.media_handler().attach(report, checked, member)
    record(
        IntakeEvent.REPORTS_IMPORTED,
        member.organisation,
        member.user,
        {
            "source": source,
            "batch": batch_number,
            "rows": len(batch),
            "created": len(created),
            "files": sum(len(checked) for checked in files),
            "formula_like": marked,
        },
    )
    _announce([r.pk for r in created])
    return len(created), len(batch) - len(created), marked


def do_reveal_contact(report: Report, *, member: Member) -> str:
    """Decrypt a reporter's contact for the owning organisation's secretariat or admins.

    Every reveal is an audit event: a reporter's contact is the most sensitive thing we hold."""
    require(member, ReportAction.REVEAL_CONTACT, report)
    if not report.contact_encrypted:
        raise NotFound(_("The reporter left no contact."))
    with transaction.atomic():
        record(IntakeEvent.CONTACT_REVEALED, report, member.user)
        return crypto.decrypt(report.contact_encrypted)
