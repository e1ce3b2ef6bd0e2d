"""The tiplines' page for the secretariat: is each channel connected, is it working, who is
blocked. Webhooks live in channels/webhooks/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baraza.channels.actions import do_set_sender_blocked
from baraza.channels.models import (
    InboundMessage,
    OutboundMessage,
    OutboundStatus,
    Provider,
    Sender,
)
from baraza.channels.permissions import runs_the_tiplines
from baraza.channels.providers import all_providers
from baraza.errors import ActionError, NotFound, Refused
from baraza.intake import tracking
from baraza.pages import action_failed, require_member


@dataclass
class ChannelRow:
    label: str
    configured: bool
    missing: list[str]
    last_message_at: datetime | None
    messages_today: int
    sent_today: int
    failed_today: int


def _require_runner(request: HttpRequest) -> None:
    member = require_member(request)
    if not runs_the_tiplines(member):
        raise Refused(
            _("Only the host organisation's secretariat or administrators manage the tiplines.")
        )


def _rows() -> list[ChannelRow]:
    since = timezone.now() - timedelta(hours=24)
    inbound = {
        row["provider"]: row
        for row in InboundMessage.objects.values("provider").annotate(
            last=Max("received_at"), today=Count("pk", filter=Q(received_at__gte=since))
        )
    }
    outbound = {
        row["sender__provider"]: row
        for row in OutboundMessage.objects.filter(created_at__gte=since)
        .values("sender__provider")
        .annotate(
            sent=Count("pk", filter=Q(status=OutboundStatus.SENT)),
            failed=Count("pk", filter=Q(status=OutboundStatus.FAILED)),
        )
    }
    rows = []
    for provider in all_providers():
        got = inbound.get(provider.name, {})
        out = outbound.get(provider.name, {})
        rows.append(
            ChannelRow(
                label=str(Provider(provider.name).label),
                configured=provider.configured(),
                missing=[f"BARAZA_{name}" for name in provider.missing_settings()],
                last_message_at=got.get("last"),
                messages_today=got.get("today", 0),
                sent_today=out.get("sent", 0),
                failed_today=out.get("failed", 0),
            )
        )
    return rows


@login_required
def channel_status(request: HttpRequest) -> HttpResponse:
    _require_runner(request)
    failures = (
        OutboundMessage.objects.filter(status=OutboundStatus.FAILED)
        .select_related("sender", "report")
        .order_by("-created_at", "-pk")[:20]
    )
    context = {
        "rows": _rows(),
        "failures": failures,
        "waiting": OutboundMessage.objects.filter(status=OutboundStatus.QUEUED).count(),
        "blocked": Sender.objects.filter(blocked=True).annotate(
            reports=Count("inbound__report", distinct=True)
        ),
    }
    return render(request, "channels/status.html", context)


@login_required
@require_POST
def block_sender(request: HttpRequest, sender_id: int) -> HttpResponse:
    member = require_member(request)
    sender = get_object_or_404(Sender.objects.actionable_by(member, "block"), pk=sender_id)
    blocked = request.POST.get("blocked") == "1"
    try:
        do_set_sender_blocked(sender, blocked=blocked, member=member)
    except ActionError as error:
        return action_failed(request, error, reverse("channel-status"))
    messages.success(request, _("Sender blocked.") if blocked else _("Sender unblocked."))
    return redirect("channel-status")


@login_required
@require_POST
def block_reporter(request: HttpRequest) -> HttpResponse:
    """Block whoever sent the report with this tracking code (the secretariat knows reports,
    never addresses)."""
    member = require_member(request)
    back = reverse("channel-status")
    try:
        code = tracking.normalise(request.POST.get("tracking_code", ""))
        message = (
            InboundMessage.objects.filter(report__tracking_code=code)
            .select_related("sender")
            .first()
        )
        if message is None:
            raise NotFound(_("No tipline report has this tracking code."))
        sender = message.sender
        do_set_sender_blocked(sender, blocked=True, member=member)
    except NotFound as error:
        messages.error(request, error.message)
        return redirect(back)
    except ActionError as error:
        return action_failed(request, error, back)
    messages.success(request, _("Sender blocked."))
    return redirect(back)
