"""Who may act on reports (see accounts/permissions.py)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from baraza.accounts.permissions import coordinated_by_owner
from baraza.intake.models import Report


class ReportAction(StrEnum):
    REVEAL_CONTACT = "reveal_contact"


coordinated_by_owner(
    Report,
    ReportAction.REVEAL_CONTACT,
    refusal=_(
        "Only the secretariat or an administrator of the report's owning organisation may see "
        "the reporter's contact."
    ),
)
