"""Intake operations: public submission and status, members' reading, monitors' bulk import."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import paginate

from baraza.accounts.auth import MemberToken, optional_member
from baraza.accounts.models import Member, Role
from baraza.intake import tracking
from baraza.intake.actions import (
    NoContact,
    do_import_reports,
    do_reveal_contact,
    do_submit_report,
)
from baraza.intake.importing import UnreadableFile, detect_format, read_rows
from baraza.intake.models import Channel, Report, ReportQuerySet
from baraza.intake.schemas import ContactOut, ImportOut, ReportOut, StatusOut, SubmittedOut
from baraza.intake.validation import ReportIn
from baraza.pagination import Page
from baraza.ratelimits import enforce

router = Router(tags=["reports"])
# Routes with fixed segments (/reports/import) come before /reports/{tracking_code}: the first
# matching URL pattern wins.
IMPORTING_ROLES = {Role.MONITOR, Role.SECRETARIAT, Role.ADMIN}


@router.post("/reports", response={201: SubmittedOut}, operation_id="submit_report", auth=None)
def submit_report(request: HttpRequest, payload: ReportIn) -> Status:
    """Submit a report. Public; with a member's token it belongs to that member's organisation.
    Keep the tracking code: it is the only way to follow an anonymous report."""
    member = optional_member(request)
    if member is None:
        enforce(request, "submit_report", settings.PUBLIC_SUBMIT_RATE)
    report = do_submit_report(payload, member=member, channel=Channel.API)
    return Status(201, SubmittedOut(tracking_code=report.display_code, status=report.status))


def _by_code(queryset: ReportQuerySet, code: str) -> Report:
    try:
        return queryset.get(tracking_code=tracking.normalise(code))
    except tracking.InvalidTrackingCode as error:
        raise HttpError(422, f"tracking_code: {error}") from None
    except ObjectDoesNotExist:
        raise Http404("no report has this tracking code") from None


@router.get(
    "/reports/{tracking_code}/status",
    response=StatusOut,
    operation_id="get_report_status",
    auth=None,
)
def get_report_status(request: HttpRequest, tracking_code: str) -> StatusOut:
    """The status and public outcome of one report, by its tracking code. Nothing else."""
    enforce(request, "get_report_status", settings.STATUS_LOOKUP_RATE)
    report = _by_code(Report.objects.all(), tracking_code)
    return StatusOut(
        tracking_code=report.display_code,
        status=report.status,
        status_label=str(report.get_status_display()),
        public_outcome=report.public_outcome,
    )


def _visible_reports(request: HttpRequest) -> ReportQuerySet:
    return Report.objects.visible_to(request.user).select_related(
        "organisation", "election", "case_link"
    )


@router.get("/reports", response=list[ReportOut], operation_id="list_reports", auth=MemberToken())
@paginate(Page)
def list_reports(request: HttpRequest) -> ReportQuerySet:
    """Reports you may see under TLP, newest first."""
    return _visible_reports(request)


@router.post(
    "/reports/import", response=ImportOut, operation_id="import_reports", auth=MemberToken()
)
def import_reports(
    request: HttpRequest, file: File[UploadedFile], format: Form[str | None] = None
) -> ImportOut:
    """Bulk import (CSV or JSONL) for monitors. Every row is checked; the valid ones are imported
    and the others listed with the reason. Rows imported before are skipped as duplicates."""
    member: Member = request.auth  # type: ignore[attr-defined]
    if member.role not in IMPORTING_ROLES:
        raise HttpError(403, "bulk import is for monitors, the secretariat and administrators")
    try:
        file_format = detect_format(file.name or "", format)
        rows = read_rows(file.read(), file_format)
    except UnreadableFile as error:
        raise HttpError(422, f"file: {error}") from None
    result = do_import_reports(rows, member=member, source=file.name or "upload")
    return ImportOut(
        created=result.created,
        duplicates=result.duplicates,
        rejected_count=len(result.rejected),
        rejected=[dict(vars(r)) for r in result.rejected[:1000]],  # type: ignore[misc]
    )


@router.get(
    "/reports/{tracking_code}", response=ReportOut, operation_id="get_report", auth=MemberToken()
)
def get_report(request: HttpRequest, tracking_code: str) -> Report:
    """One report you may see; 404 if it does not exist or TLP hides it from you."""
    return _by_code(_visible_reports(request), tracking_code)


@router.post(
    "/reports/{tracking_code}/contact",
    response=ContactOut,
    operation_id="reveal_report_contact",
    auth=MemberToken(),
)
def reveal_report_contact(request: HttpRequest, tracking_code: str) -> ContactOut:
    """The reporter's contact, decrypted, for the owning organisation's secretariat and admins.
    Each call is recorded in the audit log (a POST, so nothing caches or prefetches it)."""
    report = _by_code(_visible_reports(request), tracking_code)
    try:
        contact = do_reveal_contact(report, member=request.auth)  # type: ignore[attr-defined]
    except NoContact as error:
        raise HttpError(404, str(error)) from None
    return ContactOut(tracking_code=report.display_code, contact=contact)
