"""Review pages. This first part: the public page of a decision."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from baraza.cases.models import Case
from baraza.review.actions import current_decision
from baraza.review.markdown import render_markdown
from baraza.review.models import Decision


def decision_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """Public for TLP:CLEAR cases; members see the decisions of cases they may see."""
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)
    decision = current_decision(case)
    if decision is None:
        raise Http404("this case has no decision yet")
    history = list(Decision.objects.filter(case=case).select_related("verdict"))
    context = {
        "case": case,
        "decision": decision,
        # Sanitised by nh3 in render_markdown: safe to insert.
        "reasons_html": mark_safe(render_markdown(decision.public_reasons)),  # noqa: S308
        "earlier": [d for d in history if d.pk != decision.pk],
        "claimreview_url": reverse("api:get_decision_claimreview", args=[case_id]),
    }
    return render(request, "review/decision.html", context)
