"""Who may act on media (see accounts/permissions.py)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from baraza.accounts.permissions import coordinated_by_owner
from baraza.media.models import Medium


class MediumAction(StrEnum):
    DOWNLOAD_ORIGINAL = "download_original"


coordinated_by_owner(
    Medium,
    MediumAction.DOWNLOAD_ORIGINAL,
    refusal=_(
        "Only the secretariat or an administrator of the owning organisation may download an "
        "original file: it may carry the reporter's location and device."
    ),
)
