"""Background work of accountability: reminders for overdue referrals."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from baraza.accountability.actions import do_remind_overdue
from baraza.accountability.models import Referral, ResponseKind


@db_periodic_task(crontab(minute="17"))
def remind_overdue_referrals() -> int:
    """Hourly: referrals past their SLA with no action or refusal get a reminder (daily at
    most per referral)."""
    waiting = Referral.objects.filter(due_at__lt=timezone.now()).exclude(
        responses__kind__in=[ResponseKind.ACTIONED, ResponseKind.DECLINED]
    )
    return sum(do_remind_overdue(referral) for referral in waiting.iterator())
