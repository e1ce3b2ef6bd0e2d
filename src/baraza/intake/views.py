"""Public pages: the report form and the status page. No account, no JavaScript needed.

The form takes pictures, videos and voice notes too. They are checked (count, size, type read
from the bytes) before anything is saved, through intake's seam to the media app
(`intake.attachments`): a refused file comes back next to the file input, with every typed value
kept, and no report is stored."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods
from pydantic import ValidationError

from baraza.accounts.models import Member, member_of
from baraza.errors import ActionError, InvalidField, TooLarge
from baraza.intake import tracking
from baraza.intake.actions import do_submit_report
from baraza.intake.attachments import media_handler
from baraza.intake.countries import country_choices
from baraza.intake.models import Category, Channel, Platform, Report
from baraza.intake.validation import ReportIn
from baraza.pages import validation_message
from baraza.ratelimits import RateLimited, enforce

FORM_FIELDS = ("text", "url", "platform", "country", "language", "category", "contact")
MEDIA_FIELD = "media"
MEDIA_TYPES = "image/*,video/*,audio/*"


def _field_errors(error: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "form"
        errors.setdefault(name, validation_message(problem))
    return errors


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _form_context(
    values: dict[str, str], errors: dict[str, str], files_sent: int = 0
) -> dict[str, object]:
    return {
        "values": values,
        "errors": errors,
        "platforms": Platform.choices,
        "categories": Category.choices,
        "countries": country_choices(get_language() or settings.LANGUAGE_CODE),
        "max_text": settings.MAX_TEXT_CHARS,
        "max_files": settings.MAX_MEDIA_FILES,
        "max_megabytes": _megabytes(settings.MAX_MEDIA_BYTES),
        "media_types": MEDIA_TYPES,
        # A browser never refills a file input, so a form that comes back says so.
        "files_dropped": files_sent,
    }


def _form_field(error: ActionError) -> str:
    """Where an action's error shows: a file's error (`media[2]`) next to the file input."""
    field = error.field or "form"
    return MEDIA_FIELD if field.startswith(MEDIA_FIELD) else field


def _submit(data: ReportIn, member: Member | None, uploads: list[UploadedFile]) -> Report:
    if not uploads:
        return do_submit_report(data, member=member, channel=Channel.WEB)
    with media_handler().checked(uploads) as files:
        return do_submit_report(data, member=member, channel=Channel.WEB, files=files)


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "intake/report_form.html", _form_context({}, {}))
    values = {name: request.POST.get(name, "").strip() for name in FORM_FIELDS}
    uploads = request.FILES.getlist(MEDIA_FIELD)
    member = member_of(request.user)

    def again(errors: dict[str, str], status: int) -> HttpResponse:
        context = _form_context(values, errors, len(uploads))
        return render(request, "intake/report_form.html", context, status=status)

    try:
        if member is None:
            enforce(request, "submit_report", settings.PUBLIC_SUBMIT_RATE)
        data = ReportIn.model_validate(
            {k: v for k, v in values.items() if v}, context={"media": len(uploads)}
        )
        report = _submit(data, member, uploads)
    except ValidationError as error:
        return again(_field_errors(error), 422)
    except (InvalidField, TooLarge) as error:
        return again({_form_field(error): error.message}, error.status)
    except RateLimited as error:
        return again({"form": str(error)}, 429)
    return redirect("report-submitted", tracking_code=report.display_code)


def report_submitted(request: HttpRequest, tracking_code: str) -> HttpResponse:
    # Shows only the code from the URL; the page reveals nothing a reporter did not already have.
    try:
        code = tracking.display(tracking.normalise(tracking_code))
    except tracking.InvalidTrackingCode:
        return redirect("report-form")
    return render(request, "intake/report_submitted.html", {"tracking_code": code})


def report_status(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("code", "").strip()
    context: dict[str, object] = {"code": raw}
    status = 200
    if raw:
        try:
            enforce(request, "get_report_status", settings.STATUS_LOOKUP_RATE)
            code = tracking.normalise(raw)
            context["report"] = Report.objects.filter(tracking_code=code).first()
            if context["report"] is None:
                context["error"], status = "not_found", 404
        except tracking.InvalidTrackingCode as error:
            context["error"], context["message"], status = "invalid", str(error), 422
        except RateLimited as error:
            context["error"], context["message"], status = "limited", str(error), 429
    return render(request, "intake/report_status.html", context, status=status)
