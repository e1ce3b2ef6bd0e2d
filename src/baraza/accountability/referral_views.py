"""Referral pages: a case's referrals and the form to refer it (the owner's secretariat), the
referral list and a referral with its response form (the secretariat, the recipient's
liaisons). Access comes from `Referral.objects.visible_to` and the case file, never by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baraza.accountability.actions import (
    AccountabilityError,
    InvalidField,
    ResponseInput,
    do_record_response,
    do_refer_case,
)
from baraza.accountability.forms import ReferForm, ResponseForm
from baraza.accountability.models import Referral, ReferralQuerySet
from baraza.accounts.models import Member, Organisation, Role, member_of
from baraza.cases.models import Case, CaseStatus
from baraza.cases.queries import case_file
from baraza.review.access import may_decide


def _member(request: HttpRequest) -> Member:
    member = member_of(request.user)
    if member is None:
        raise PermissionDenied(_("Only members of a coalition organisation can see referrals."))
    return member


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    return render(request, "cases/not_a_member.html", {"reason": str(error)}, status=403)


def _referrals(request: HttpRequest) -> ReferralQuerySet:
    return Referral.objects.visible_to(request.user).with_details()


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    try:
        _member(request)
    except PermissionDenied as error:
        return _refused(request, error)
    page = Paginator(_referrals(request), 50).get_page(request.GET.get("page"))
    return render(request, "accountability/referrals.html", {"page": page})


def _case_page(
    request: HttpRequest, case: Case, form: ReferForm, status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "referrals": _referrals(request).filter(case=case),
        "form": form,
        "can_refer": case.status == CaseStatus.DECIDED,
    }
    return render(request, "accountability/case_referrals.html", context, status=status)


@login_required
def case_referrals(request: HttpRequest, case_id: int) -> HttpResponse:
    """The owner's secretariat refers a decided case and follows its referrals."""
    try:
        member = _member(request)
        case = case_file(request.user, case_id).case
        if not may_decide(case, member):
            raise PermissionDenied(_("Only the case owner's secretariat refers a case."))
    except PermissionDenied as error:
        return _refused(request, error)
    if request.method != "POST":
        return _case_page(request, case, ReferForm())
    form = ReferForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, form, status=400)
    data = form.cleaned_data
    try:
        referral = do_refer_case(
            case,
            recipient=Organisation.objects.get(slug=data["recipient"]),
            requested_action=data["requested_action"],
            evidence=data["evidence"],
            note=data["note"],
            member=member,
        )
    except InvalidField as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _case_page(request, case, form, status=400)
    except AccountabilityError as error:
        form.add_error(None, str(error))
        return _case_page(request, case, form, status=409)
    messages.success(request, _("Referred to %(name)s.") % {"name": referral.recipient.name})
    return redirect("referral-page", referral_id=referral.pk)


def _referral_context(request: HttpRequest, referral: Referral, member: Member) -> dict[str, Any]:
    liaison = (
        member.role == Role.PLATFORM_LIAISON and member.organisation_id == referral.recipient_id
    )
    return {
        "referral": referral,
        "content_urls": referral.content_urls(),
        "responses": referral.responses.all(),
        "can_respond": liaison or may_decide(referral.case, member),
        "is_liaison": liaison,
    }


@login_required
def referral_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    try:
        member = _member(request)
    except PermissionDenied as error:
        return _refused(request, error)
    referral = get_object_or_404(_referrals(request), pk=referral_id)
    context = _referral_context(request, referral, member)
    context["form"] = ResponseForm(initial={"zone": str(timezone.get_current_timezone())})
    return render(request, "accountability/referral.html", context)


@login_required
@require_POST
def respond(request: HttpRequest, referral_id: int) -> HttpResponse:
    try:
        member = _member(request)
    except PermissionDenied as error:
        return _refused(request, error)
    referral = get_object_or_404(_referrals(request), pk=referral_id)
    form = ResponseForm(request.POST)
    context = _referral_context(request, referral, member)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_record_response(
                referral,
                ResponseInput(
                    kind=data["kind"],
                    responded_at=data["responded_at"],
                    decision_visibility=data["decision_visibility"],
                    decision_account=data["decision_account"],
                    reason=data["reason"],
                ),
                member=member,
            )
        except PermissionError as error:
            return _refused(request, error)
        except InvalidField as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Response recorded."))
            return redirect("referral-page", referral_id=referral.pk)
    context["form"] = form
    return render(request, "accountability/referral.html", context, status=400)
