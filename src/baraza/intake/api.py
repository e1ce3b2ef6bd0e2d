"""Intake operations: public submission and status, members' reading, monitors' bulk import."""

from typing import IO, cast

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate

from baraza.accounts.auth import MemberToken, optional_member
from baraza.api_errors import errors
from baraza.errors import NotFound
from baraza.intake import tracking
from baraza.intake.actions import (
    check_may_import,
    do_import_reports,
    do_reveal_contact,
    do_submit_report,
)
from baraza.intake.attachments import media_handler
from baraza.intake.importing import ZIP_MAGIC, ImportArchive, detect_format, is_zip, read_rows
from baraza.intake.models import Channel, Report, ReportQuerySet, ReportStatus
from baraza.intake.schemas import ContactOut, ImportOut, ReportOut, StatusOut, SubmittedOut
from baraza.intake.validation import ReportIn
from baraza.pagination import Page
from baraza.ratelimits import enforce

router = Router(tags=["reports"])
# Routes with fixed segments (/reports/import) come before /reports/{tracking_code}: the first
# matching URL pattern wins.


_MULTIPART_SUBMISSION = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["payload"],
                    "properties": {
                        "payload": {
                            "type": "string",
                            "description": "the report's fields as JSON, as in the JSON body",
                        },
                        "media": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": (
                                "pictures (JPEG, PNG, WebP, GIF, HEIC), videos (MP4, WebM, "
                                "3GP) or sounds (OGG/Opus, MP3, AMR, M4A); at most "
                                "BARAZA_MAX_MEDIA_FILES files"
                            ),
                        },
                    },
                }
            }
        }
    }
}


@router.post(
    "/reports",
    response={201: SubmittedOut, **errors(401, 413, 422, 429)},
    operation_id="submit_report",
    auth=None,
    openapi_extra=_MULTIPART_SUBMISSION,
)
def submit_report(request: HttpRequest, payload: ReportIn) -> Status:
    """Submit a report. Public; with a member's token it belongs to that member's organisation.
    Keep the tracking code: it is the only way to follow an anonymous report.

    Without a token, submissions are rate-limited per address (429); a bad token is refused
    (401), never taken as anonymous. A report needs a text, a url or a file; TLP:RED needs a
    token. Files come as `multipart/form-data`: the fields as JSON in a `payload` part and up to
    BARAZA_MAX_MEDIA_FILES `media` parts. Their types are read from their bytes; a file that is
    too large answers 413, one of another type, damaged, with too many pixels or too long a
    duration 422, each naming the file (`media[N]`); then nothing is saved."""
    member = optional_member(request)
    if member is None:
        enforce(request, "submit_report", settings.PUBLIC_SUBMIT_RATE)
    multipart = request.content_type == "multipart/form-data"
    uploads = request.FILES.getlist("media") if multipart else []
    if not uploads:
        report = do_submit_report(payload, member=member, channel=Channel.API)
    else:
        with media_handler().checked(uploads) as files:
            report = do_submit_report(payload, member=member, channel=Channel.API, files=files)
    return Status(
        201, SubmittedOut(tracking_code=report.display_code, status=ReportStatus(report.status))
    )


def _by_code(queryset: ReportQuerySet, code: str) -> Report:
    report = queryset.filter(tracking_code=tracking.normalise(code, location="path")).first()
    if report is None:
        raise NotFound("no report has this tracking code")
    return report


@router.get(
    "/reports/{tracking_code}/status",
    response={200: StatusOut, **errors(404, 422, 429)},
    operation_id="get_report_status",
    auth=None,
)
def get_report_status(request: HttpRequest, tracking_code: str) -> StatusOut:
    """The status and public outcome of one report, by its tracking code. Nothing else.

    Public and rate-limited per address (429). The code is read forgivingly (case, spaces,
    dashes, O for 0, I or L for 1); a malformed code is a 422, an unknown one a 404."""
    enforce(request, "get_report_status", settings.STATUS_LOOKUP_RATE)
    report = _by_code(Report.objects.all(), tracking_code)
    return StatusOut(
        tracking_code=report.display_code,
        status=ReportStatus(report.status),
        status_label=str(report.get_status_display()),
        public_outcome=report.public_outcome,
    )


def _visible_reports(request: HttpRequest) -> ReportQuerySet:
    return (
        Report.objects.visible_to(request.user)
        .select_related("organisation", "election", "case_link")
        .prefetch_related("media")
    )


@router.get(
    "/reports",
    response={200: list[ReportOut], **errors(401, 422)},
    operation_id="list_reports",
    auth=MemberToken(),
)
@paginate(Page)
def list_reports(request: HttpRequest) -> ReportQuerySet:
    """Reports you may see under TLP, newest first, a page at a time (`limit`, `offset`)."""
    return _visible_reports(request)


@router.post(
    "/reports/import",
    response={200: ImportOut, **errors(401, 403, 413, 422)},
    operation_id="import_reports",
    auth=MemberToken(),
)
def import_reports(
    request: HttpRequest, file: File[UploadedFile], format: Form[str | None] = None
) -> ImportOut:
    """Bulk import (CSV or JSONL) for monitors, the secretariat and admins (403 for others).
    Every row is checked; the valid ones are imported and the others listed with the reason.
    Rows imported before are skipped as duplicates. `format` (csv or jsonl) is needed when the
    file name does not tell; a file that cannot be read at all is a 422 on `file`. Text that a
    spreadsheet would run as a formula (beginning with =, +, -, @) is imported as written, and
    its rows are listed in `formula_like`.

    Rows may come with pictures, videos or sounds: send a `.zip` holding the one CSV or JSONL
    file and the files its rows name in a `media` column (names separated by `|` in CSV, a list
    of names in JSONL; relative to the data file's folder in the zip). A zip too large once
    uncompressed (5 x BARAZA_MAX_IMPORT_BYTES), expanding over 100 times, with too many entries
    or with absolute or `..` names is a 422 on `file`. A row naming a missing file, or one the
    upload checks refuse, is rejected (on `media`, naming the file); the others are imported."""
    member = check_may_import(request.auth)  # type: ignore[attr-defined]
    source = file.name or "upload"
    head = file.read(len(ZIP_MAGIC))
    file.seek(0)
    if is_zip(source, head):
        with ImportArchive(cast(IO[bytes], file)) as archive:
            rows = archive.rows(format)
            result = do_import_reports(rows, member=member, source=source, media=archive)
    else:
        rows = read_rows(file.read(), detect_format(source, format))
        result = do_import_reports(rows, member=member, source=source)
    return ImportOut(
        created=result.created,
        duplicates=result.duplicates,
        rejected_count=len(result.rejected),
        rejected=[dict(vars(r)) for r in result.rejected[:1000]],  # type: ignore[misc]
        formula_like=result.formula_like[:1000],
    )


@router.get(
    "/reports/{tracking_code}",
    response={200: ReportOut, **errors(401, 404, 422)},
    operation_id="get_report",
    auth=MemberToken(),
)
def get_report(request: HttpRequest, tracking_code: str) -> Report:
    """One report you may see; 404 if it does not exist or TLP hides it from you."""
    return _by_code(_visible_reports(request), tracking_code)


@router.post(
    "/reports/{tracking_code}/contact",
    response={200: ContactOut, **errors(401, 403, 404, 422)},
    operation_id="reveal_report_contact",
    auth=MemberToken(),
)
def reveal_report_contact(request: HttpRequest, tracking_code: str) -> ContactOut:
    """The reporter's contact, decrypted, for the owning organisation's secretariat and admins
    (403 for others). Each call is recorded in the audit log (a POST, so nothing caches or
    prefetches it). 404 also when the reporter left no contact."""
    report = _by_code(_visible_reports(request), tracking_code)
    contact = do_reveal_contact(report, member=request.auth)  # type: ignore[attr-defined]
    return ContactOut(tracking_code=report.display_code, contact=contact)
