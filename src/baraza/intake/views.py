"""Public pages: the report form and the status page. No account, no JavaScript needed."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods
from pydantic import ValidationError

from baraza.accounts.models import member_of
from baraza.errors import InvalidField
from baraza.intake import tracking
from baraza.intake.actions import do_submit_report
from baraza.intake.countries import country_choices
from baraza.intake.models import Category, Channel, Platform, Report
from baraza.intake.validation import ReportIn
from baraza.pages import validation_message
from baraza.ratelimits import RateLimited, enforce

FORM_FIELDS = ("text", "url", "platform", "country", "language", "category", "contact")


def _field_errors(error: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "form"
        errors.setdefault(name, validation_message(problem))
    return errors


def _form_context(values: dict[str, str], errors: dict[str, str]) -> dict[str, object]:
    return {
        "values": values,
        "errors": errors,
        "platforms": Platform.choices,
        "categories": Category.choices,
        "countries": country_choices(get_language() or settings.LANGUAGE_CODE),
        "max_text": settings.MAX_TEXT_CHARS,
    }


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "intake/report_form.html", _form_context({}, {}))
    values = {name: request.POST.get(name, "").strip() for name in FORM_FIELDS}
    member = member_of(request.user)
    try:
        if member is None:
            enforce(request, "submit_report", settings.PUBLIC_SUBMIT_RATE)
        data = ReportIn.model_validate({k: v for k, v in values.items() if v})
        report = do_submit_report(data, member=member, channel=Channel.WEB)
    except ValidationError as error:
        context = _form_context(values, _field_errors(error))
        return render(request, "intake/report_form.html", context, status=422)
    except InvalidField as error:
        context = _form_context(values, {error.field: error.message})
        return render(request, "intake/report_form.html", context, status=422)
    except RateLimited as error:
        context = _form_context(values, {"form": str(error)})
        return render(request, "intake/report_form.html", context, status=429)
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
