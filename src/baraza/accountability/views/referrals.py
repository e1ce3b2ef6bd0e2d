"""Referral pages: a case's referrals and the form to refer it (the owner's secretariat), the
referral list and a referral with its response form (the secretariat, the recipient's
liaisons). Access comes from `Referral.objects.visible_to` and the case file, never by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baraza.accountability.actions import ResponseInput, do_record_response, do_refer_case
from baraza.accountability.forms import ReferForm, ResponseForm
from baraza.accountability.models import Referral
from baraza.accountability.permissions import ReferralAction
from baraza.accountability.queries import referral_history, referrals_for, visible_referral
from baraza.accounts.models import Member, Organisation
from baraza.accounts.permissions import Capability, can, may, require
from baraza.cases.models import Case, CaseStatus
from baraza.cases.queries import visible_case
from baraza.errors import ActionError
from baraza.pages import add_to_form, require_member


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    require_member(request)
    page = Paginator(referrals_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accountability/referrals.html", {"page": page})


def _case_page(
    request: HttpRequest, case: Case, form: ReferForm, status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "referrals": referrals_for(request.user).filter(case=case),
        "form": form,
        "can_refer": case.status == CaseStatus.DECIDED,
    }
    return render(request, "accountability/case_referrals.html", context, status=status)


@login_required
def case_referrals(request: HttpRequest, case_id: int) -> HttpResponse:
    """The owner's secretariat refers a decided case and follows its referrals."""
    case = visible_case(request.user, case_id)
    member = require(require_member(request), ReferralAction.REFER, case)
    if request.method != "POST":
        return _case_page(request, case, ReferForm())
    form = ReferForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, form, status=422)
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
    except ActionError as error:
        add_to_form(form, error)
        return _case_page(request, case, form, status=error.status)
    messages.success(request, _("Referred to %(name)s.") % {"name": referral.recipient.name})
    return redirect("referral-page", referral_id=referral.pk)


def _referral_context(referral: Referral, member: Member) -> dict[str, Any]:
    return {
        "referral": referral,
        "content_urls": referral.content_urls(),
        "responses": referral.responses.all(),
        "can_respond": may(member, ReferralAction.RESPOND, referral),
        "is_liaison": can(member, Capability.ANSWER_REFERRALS),
        "history": referral_history(referral),
    }


@login_required
def referral_page(request: HttpRequest, referral_id: int) -> HttpResponse:
    member = require_member(request)
    referral = visible_referral(request.user, referral_id)
    context = _referral_context(referral, member)
    context["form"] = ResponseForm(initial={"zone": str(timezone.get_current_timezone())})
    return render(request, "accountability/referral.html", context)


@login_required
@require_POST
def respond(request: HttpRequest, referral_id: int) -> HttpResponse:
    member = require_member(request)
    referral = visible_referral(request.user, referral_id)
    form = ResponseForm(request.POST)
    context = _referral_context(referral, member)
    status = 422
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
        except ActionError as error:
            add_to_form(form, error)
            status = error.status
        else:
            messages.success(request, _("Response recorded."))
            return redirect("referral-page", referral_id=referral.pk)
    context["form"] = form
    return render(request, "accountability/referral.html", context, status=status)
