"""Audit event types: a stable code and words, each app declaring its own.

Modelled on Zulip's `AuditLogEventType`, but open: every app lists the events it records in its
own `<app>/events.py`, as a subclass of `EventType` whose members are
`(code, words[, detail])`:

    class CaseEvent(EventType):
        STATUS_CHANGED = "cases.status_changed", _("Status changed"), status_changed

- the **code** is what `AuditEvent.action` stores. It never changes, so stored events keep their
  meaning; it starts with the app's label.
- the **words** (`gettext_lazy`) name the event in the reader's language.
- the optional **detail** turns one event's payload into a whole sentence in words ("Status
  changed: Triaged → In review"), or returns None to fall back on the words. Payloads carry ids
  and enum values only; a detail may name organisations, never people, their e-mail addresses or
  what a report says.

Members are `str`s (a `StrEnum`), so `record(CaseEvent.STATUS_CHANGED, case, ...)` stores the
code and `event.action == CaseEvent.STATUS_CHANGED` compares with a stored row. `audit` sits
below the domain apps and imports none of them: the types are found by importing every installed
app's `events` module (at start-up, from `AuditConfig.ready`, or on the first lookup if that
comes first), so no lookup depends on which module happened to be imported first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from baraza.audit.models import AuditEvent

Payload = Mapping[str, Any]
Detail = Callable[[Payload], str | None]


class UnknownEventType(LookupError):
    """A code no app declares: refused, so a misspelt event is never written."""


class EventType(StrEnum):
    """The base of every app's enum of audit events; it has no members of its own."""

    _value_: str
    words: str | Promise
    detail: Detail | None

    def __new__(cls, code: str, words: str | Promise, detail: Detail | None = None) -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        member.words = words
        member.detail = detail
        return member

    @property
    def code(self) -> str:
        return self._value_

    def sentence(self, payload: Payload) -> str:
        """The event told in words: the detail's sentence if it can say one, else the words."""
        if self.detail is not None:
            try:
                told = self.detail(payload)
            except (KeyError, TypeError, ValueError):  # an old row with another payload shape
                told = None
            if told:
                return told
        return str(self.words)


# --- the registry ---------------------------------------------------------------------------

_by_code: dict[str, EventType] = {}  # replaced whole by `discover`, never changed in place


def discover() -> None:
    """Import every installed app's `events` module, then index every declared member by code.

    Refuses two members with one code (a stored row would not know which it is)."""
    autodiscover_modules("events")
    found: dict[str, EventType] = {}
    pending = list(EventType.__subclasses__())
    while pending:
        kind = pending.pop()
        pending.extend(kind.__subclasses__())
        for member in kind:
            other = found.setdefault(member.value, member)
            if other is not member:
                raise ImproperlyConfigured(
                    f"audit event code {member.value!r} is declared twice: "
                    f"{type(other).__qualname__}.{other.name} and {kind.__qualname__}.{member.name}"
                )
    global _by_code  # one atomic swap: readers never see a half-built index
    _by_code = found


def find(code: str | EventType) -> EventType | None:
    """The declared event type of a code (a member is its own answer); None if none is."""
    if isinstance(code, EventType):
        return code
    if not _by_code:
        discover()  # a lookup before start-up finished (AuditConfig.ready discovers)
    # An unknown code is an old row or a typo: no rediscovery, which would import every app's
    # events module again for each such row of a history page.
    return _by_code.get(code)


def event_type(code: str | EventType) -> EventType:
    """Like `find`, but an undeclared code raises `UnknownEventType`."""
    kind = find(code)
    if kind is None:
        raise UnknownEventType(
            f"{code!r} is not a declared audit event; declare it in its app's events.py"
        )
    return kind


def event_types() -> list[EventType]:
    """Every declared event type, ordered by code."""
    if not _by_code:
        discover()
    return sorted(_by_code.values(), key=lambda kind: kind.value)


# --- words ----------------------------------------------------------------------------------


def describe(event: AuditEvent) -> str:
    """One line in the reader's language; an undeclared code (an old row) is shown as is."""
    kind = find(event.action)
    words = kind.sentence(event.payload or {}) if kind else event.action
    if event.actor_organisation_id and event.actor_organisation:
        words += " · " + _("by %(organisation)s") % {"organisation": event.actor_organisation.name}
    return words


# Helpers for the apps' detail functions.


def label(choices: type[models.Choices], value: object) -> str:
    """An enum value's label in the reader's language; an unknown value as it was stored."""
    return str(choices(value).label) if value in choices.values else str(value)


def lowercase_first(words: str) -> str:
    """A label inside a sentence: "Remove the content" → "remove the content"."""
    return words[:1].lower() + words[1:]


def organisation_name(slug: object) -> str:
    """An organisation's name (organisations are named openly in Baraza); the slug if unknown."""
    from baraza.accounts.models import Organisation

    name = Organisation.objects.filter(slug=str(slug)).values_list("name", flat=True).first()
    return name or str(slug)


def organisation_names(slugs: object) -> str:
    """Several organisations' names, in order, joined by commas."""
    from baraza.accounts.models import Organisation

    wanted = [str(slug) for slug in slugs] if isinstance(slugs, list | tuple) else []
    names = dict(Organisation.objects.filter(slug__in=wanted).values_list("slug", "name"))
    return ", ".join(names.get(slug, slug) for slug in wanted)


def moment(value: object) -> str:
    """A stored ISO 8601 time in words, in the site's time zone, naming the zone:
    "12 December 2026 14:00 UTC" (the month in the reader's language)."""
    when = datetime.fromisoformat(str(value))
    if timezone.is_naive(when):
        when = timezone.make_aware(when, timezone.get_fixed_timezone(0))
    return date_format(timezone.localtime(when), "j F Y H:i T")
