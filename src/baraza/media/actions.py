"""Every state change of media: files attached to reports, processed, downloaded, preferred."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from baraza.accounts.models import Member, Organisation
from baraza.accounts.permissions import require
from baraza.audit.actions import record
from baraza.errors import InvalidField, TooLarge
from baraza.intake.models import Report
from baraza.matching.models import FactCheck
from baraza.media import storage
from baraza.media.events import MediaEvent
from baraza.media.models import Medium, MediumStatus, Viewing
from baraza.media.permissions import MediumAction
from baraza.media.probe import MediaKind, Probed, ProcessingFailed
from baraza.media.processing import Processed, process
from baraza.media.signals import media_processed
from baraza.media.upload import Accepted, Upload, check_one

# Fields a medium copies from an earlier one with the same content instead of processing again.
RESULT_FIELDS = (
    "status",
    "failure",
    "derivative_mime",
    "has_thumbnail",
    "pdq",
    "pdq_quality",
    "pdq_turns",
    "frame_hashes",
    "audio_fingerprint",
    "ocr_text",
    "width",
    "height",
    "duration_s",
)


def _queue_processing(medium_ids: list[int]) -> None:
    from baraza.media.tasks import process_media  # tasks import actions

    if medium_ids:
        transaction.on_commit(lambda: process_media(medium_ids), robust=True)


def _announce(report_ids: list[int]) -> None:
    if report_ids:
        transaction.on_commit(
            lambda: media_processed.send(sender=Medium, report_ids=report_ids), robust=True
        )


def _copy_results(medium: Medium) -> bool:
    """Reuse what processing the same content found before (a picture forwarded by many)."""
    done = (
        Medium.objects.filter(sha256=medium.sha256, status=MediumStatus.READY)
        .exclude(pk=medium.pk)
        .first()
    )
    if done is None:
        return False
    for name in RESULT_FIELDS:
        setattr(medium, name, getattr(done, name))
    medium.processed_at = timezone.now()
    return True


def _new_medium(accepted: Accepted, **owner: object) -> Medium:
    probed = accepted.probed
    medium = Medium(
        position=accepted.position,
        kind=str(probed.kind),
        mime=probed.mime,
        sha256=accepted.sha256,
        size=accepted.size,
        width=probed.width,
        height=probed.height,
        duration_s=probed.duration_s,
        **owner,
    )
    _copy_results(medium)
    return medium


def keep_originals(accepted: Iterable[Accepted]) -> None:
    for item in accepted:
        storage.keep_original(item.sha256, item.path.read_bytes())


def attach_checked(report: Report, accepted: list[Accepted], member: Member | None) -> list[Medium]:
    """Keep checked uploads as a report's media; called inside the action that accepts the
    report (its audit event counts the files), after the report is saved. The originals are
    written first: a rolled-back report leaves only an unreferenced file."""
    keep_originals(accepted)
    media = Medium.objects.bulk_create(
        [
            _new_medium(item, report=report, organisation_id=report.organisation_id)
            for item in accepted
        ]
    )
    pending = [m.pk for m in media if m.status == MediumStatus.PENDING]
    _queue_processing(pending)
    if not pending:
        _announce([report.pk])
    return media


def probed_of(medium: Medium) -> Probed:
    return Probed(
        kind=MediaKind(medium.kind),
        mime=medium.mime,
        width=medium.width,
        height=medium.height,
        duration_s=medium.duration_s,
    )


def _store_results(medium: Medium, processed: Processed) -> None:
    with processed.derivative.path.open("rb") as file:
        storage.keep_derivative(medium.sha256, file)
    if processed.thumbnail is not None:
        with processed.thumbnail.open("rb") as file:
            storage.keep_thumbnail(medium.sha256, file)
    medium.derivative_mime = processed.derivative.mime
    medium.has_thumbnail = processed.thumbnail is not None
    medium.pdq = processed.pdq
    medium.pdq_quality = processed.pdq_quality
    medium.pdq_turns = processed.pdq_turns
    medium.frame_hashes = [[f.second, f.pdq, f.quality] for f in processed.frames]
    medium.audio_fingerprint = processed.fingerprint
    medium.ocr_text = processed.ocr_text
    medium.status = MediumStatus.READY


def _run(medium: Medium) -> None:
    """Process one medium's original into its results (files in storage, fields on the row)."""
    with tempfile.TemporaryDirectory(prefix="baraza-media-") as folder:
        workdir = Path(folder)
        source = workdir / "original"
        source.write_bytes(storage.read_original(medium.sha256))
        try:
            processed = process(
                source,
                probed_of(medium),
                workdir,
                languages=settings.OCR_LANGUAGES,
                timeout_s=float(settings.MEDIA_PROCESSING_TIMEOUT),
            )
        except ProcessingFailed as failure:
            medium.status = MediumStatus.FAILED
            medium.failure = str(failure)[:200]
            return
        _store_results(medium, processed)


def _all_done(report_id: int | None) -> bool:
    if report_id is None:
        return False
    return not Medium.objects.filter(report_id=report_id, status=MediumStatus.PENDING).exists()


# A worker holds a medium this many processing timeouts (a derivative, a thumbnail, the
# hashes, two OCR readings, each under its own limit); past it, the worker is taken for dead.
LEASE_TIMEOUTS = 6
GIVEN_UP = "processing did not finish"


def processing_lease() -> timedelta:
    return timedelta(seconds=LEASE_TIMEOUTS * settings.MEDIA_PROCESSING_TIMEOUT)


def _claim(medium_id: int) -> Medium | None:
    """Take a pending medium no live worker holds, counted as an attempt, leased."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    claimed = Medium.objects.filter(free, pk=medium_id, status=MediumStatus.PENDING).update(
        lease_until=now + processing_lease(), attempts=F("attempts") + 1
    )
    return Medium.objects.get(pk=medium_id) if claimed else None


def _owner(medium: Medium) -> models.Model:
    owner = medium.report if medium.report_id else medium.factcheck
    assert owner is not None  # the check constraint says so
    return owner


def do_process_medium(medium_id: int) -> Medium | None:
    """The worker's step for one file. Idempotent: a medium no longer pending, or leased to a
    live worker, is left alone. The heavy work runs outside any transaction; the row is updated
    in one. A worker that finishes after the sweep gave its medium up still wins."""
    medium = _claim(medium_id)
    if medium is None:
        return None
    if not _copy_results(medium):
        _run(medium)
    medium.processed_at = timezone.now()
    still_ours = Q(status=MediumStatus.PENDING) | Q(
        status=MediumStatus.FAILED, failure__startswith=GIVEN_UP
    )
    with transaction.atomic():
        updated = Medium.objects.filter(still_ours, pk=medium.pk).update(
            **{name: getattr(medium, name) for name in RESULT_FIELDS},
            processed_at=medium.processed_at,
            lease_until=None,
        )
        if not updated:  # another worker finished it first
            return medium
        record(
            MediaEvent.MEDIUM_PROCESSED,
            _owner(medium),
            None,
            {"medium": medium.pk, "kind": medium.kind, "ready": medium.is_ready},
        )
        if medium.report_id is not None and _all_done(medium.report_id):
            _announce([medium.report_id])
    return medium


def do_fail_stuck_medium(medium: Medium) -> None:
    """A medium whose processing keeps being cut short (a worker killed mid-way, again and
    again) is given up, so its report is placed by its words."""
    with transaction.atomic():
        updated = Medium.objects.filter(pk=medium.pk, status=MediumStatus.PENDING).update(
            status=MediumStatus.FAILED,
            failure=f"{GIVEN_UP} in {medium.attempts} attempts",
            processed_at=timezone.now(),
        )
        if not updated:
            return
        record(
            MediaEvent.MEDIUM_PROCESSED,
            _owner(medium),
            None,
            {"medium": medium.pk, "kind": medium.kind, "ready": False},
        )
        if medium.report_id is not None and _all_done(medium.report_id):
            _announce([medium.report_id])


def do_download_original(medium: Medium, *, member: Member) -> bytes:
    """The original bytes, for the owner's secretariat or admins; every download is recorded."""
    require(member, MediumAction.DOWNLOAD_ORIGINAL, medium)
    data = storage.read_original(medium.sha256)
    with transaction.atomic():
        record(
            MediaEvent.ORIGINAL_DOWNLOADED,
            _owner(medium),
            member.user,
            {"medium": medium.pk, "kind": medium.kind},
        )
    return data


def do_set_viewing(member: Member, *, show_unblurred: bool) -> Viewing:
    with transaction.atomic():
        viewing, _created = Viewing.objects.update_or_create(
            member=member,
            defaults={"show_unblurred": show_unblurred, "updated_at": timezone.now()},
        )
        record(MediaEvent.VIEWING_CHANGED, member, member.user, {"show_unblurred": show_unblurred})
    return viewing


def shows_unblurred(member: Member | None) -> bool:
    if member is None:
        return False
    viewing = Viewing.objects.filter(member=member).first()
    return bool(viewing and viewing.show_unblurred)


def failure_words(medium: Medium) -> str:
    return _("This file could not be processed.") if medium.status == MediumStatus.FAILED else ""


@dataclass(frozen=True)
class Handover:
    """What became of each file handed over: its medium's id, or why it was refused."""

    medium_ids: dict[int, int]
    refused: dict[int, str]


def do_attach_media(report: Report, uploads: list[Upload]) -> Handover:
    """Files that reach a report after it was accepted (a tipline's media, fetched later): each
    checked like an upload; the refused ones are named, the others attached and processed."""
    refused: dict[int, str] = {}
    accepted: list[Accepted] = []
    with tempfile.TemporaryDirectory(prefix="baraza-handover-") as folder:
        for position, upload in enumerate(uploads):
            try:
                accepted.append(check_one(upload, position, Path(folder)))
            except (InvalidField, TooLarge) as refusal:
                refused[position] = refusal.message
        if not accepted:
            return Handover({}, refused)
        start = Medium.objects.filter(report=report).count()
        accepted = [replace(item, position=start + item.position) for item in accepted]
        with transaction.atomic():
            media = attach_checked(report, accepted, None)
            kinds = sorted({m.kind for m in media})
            record(MediaEvent.MEDIA_ATTACHED, report, None, {"files": len(media), "kinds": kinds})
    ids = {item.position - start: medium.pk for item, medium in zip(accepted, media, strict=True)}
    return Handover(ids, refused)


# --- the known-media bank: fact-checks' files ------------------------------------------


@dataclass
class BankAdded:
    """What `do_add_factcheck_media` did: media kept, files it already had, files refused."""

    added: list[Medium] = field(default_factory=list)
    known: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (index in uploads, why)


def _why(error: InvalidField | TooLarge, upload: Upload) -> str:
    # The upload checks name the file first ("photo.jpg: ..."); the caller names it already.
    label = (upload.name or "").strip()[:120]
    return error.message.removeprefix(f"{label}: ")


def _checked(uploads: Sequence[Upload], folder: Path, done: BankAdded) -> list[Accepted]:
    """Each file checked on its own: one refused does not stop the others."""
    accepted = []
    for position, upload in enumerate(uploads):
        try:
            accepted.append(check_one(upload, position, folder))
        except (InvalidField, TooLarge) as error:
            done.refused.append((position, _why(error, upload)))
    return accepted


def do_add_factcheck_media(
    factcheck: FactCheck, uploads: Sequence[Upload], organisation: Organisation | None
) -> BankAdded:
    """Keep files that show a fact-check's claim as its media, checked as uploads are and
    processed (hashed) like any medium. Idempotent: a file the fact-check already has (the same
    SHA-256) is counted as known, not kept again. One audit event when any file is added."""
    done = BankAdded()
    with tempfile.TemporaryDirectory(prefix="baraza-bank-") as folder:
        accepted = _checked(uploads, Path(folder), done)
        with transaction.atomic():
            FactCheck.objects.select_for_update().filter(pk=factcheck.pk).first()
            held = Medium.objects.filter(factcheck=factcheck)
            known = set(held.values_list("sha256", flat=True))
            position = held.count()
            new: list[Accepted] = []
            for item in accepted:
                if item.sha256 in known:
                    done.known += 1
                    continue
                known.add(item.sha256)
                new.append(replace(item, position=position + len(new)))
            if new:
                done.added = _keep(factcheck, new, organisation, refused=len(done.refused))
    return done


def _keep(
    factcheck: FactCheck, accepted: list[Accepted], organisation: Organisation | None, refused: int
) -> list[Medium]:
    keep_originals(accepted)
    media = Medium.objects.bulk_create(
        [_new_medium(item, factcheck=factcheck, organisation=organisation) for item in accepted]
    )
    record(
        MediaEvent.FACTCHECK_MEDIA_ADDED,
        factcheck,
        None,
        {"files": len(media), "kinds": sorted({m.kind for m in media}), "refused": refused},
    )
    _queue_processing([m.pk for m in media if m.status == MediumStatus.PENDING])
    return media
