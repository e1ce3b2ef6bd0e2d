"""The seam through which files sent with a report reach the media app.

Intake takes reports in (the form, the API, imports) but does not know what a picture is: the
media app, downstream, registers the one handler when it starts (`MediaConfig.ready`). Intake
calls it to check the uploads before anything is saved, and to attach the checked files to the
new report inside the report's own transaction, so a report and its files are accepted together
or not at all. Without a handler (an app list without media), files are refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.translation import gettext as _

from baraza.errors import InvalidField

if TYPE_CHECKING:
    from baraza.accounts.models import Member
    from baraza.intake.models import Report


class Upload(Protocol):
    name: str | None
    size: int | None

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...


class MediaHandler(Protocol):
    def checked(self, uploads: Sequence[Upload]) -> AbstractContextManager[list[Any]]:
        """The uploads checked (TooLarge / InvalidField naming the file otherwise), valid for
        the block."""

    def attach(self, report: Report, checked: list[Any], member: Member | None) -> None:
        """Keep the checked files as the report's media (called in the report's transaction)."""


_handler: MediaHandler | None = None


def register(handler: MediaHandler) -> None:
    global _handler
    _handler = handler


def media_handler() -> MediaHandler:
    if _handler is None:
        raise InvalidField("media", _("This deployment does not take files with reports."))
    return _handler
