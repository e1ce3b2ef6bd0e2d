"""The media app's side of intake's seam (`baraza.intake.attachments`)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from baraza.accounts.models import Member
from baraza.intake.models import Report
from baraza.media import upload
from baraza.media.actions import attach_checked


class UploadHandler:
    def checked(self, uploads: Sequence[Any]) -> AbstractContextManager[list[Any]]:
        return upload.checked(uploads)

    def attach(self, report: Report, checked: list[Any], member: Member | None) -> None:
        attach_checked(report, checked, member)
