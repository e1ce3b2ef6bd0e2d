"""Audit event types: every app declares its events, and only declared events are written."""

import ast
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import baraza
from baraza.audit import events
from baraza.audit.actions import record
from baraza.audit.events import EventType, UnknownEventType, event_types, find
from baraza.audit.models import AuditEvent
from baraza.cases.events import CaseEvent
from baraza.review.events import ReviewEvent

SOURCE = Path(baraza.__file__).parent
APPS = (
    "accounts",
    "intake",
    "cases",
    "matching",
    "review",
    "accountability",
    "channels",
    "media",
)


def _source_files():
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE).parts
        if "tests" not in parts and "migrations" not in parts:
            yield path


def _recorded_actions():
    """(where, first argument) of every `record(...)` call in the application's source."""
    for path in _source_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name == "record":
                yield f"{path.relative_to(SOURCE)}:{node.lineno}", node.args[0]


def _event_classes():
    return {type(kind).__name__: type(kind) for kind in event_types()}


def test_record_writes_an_apps_event_type_as_its_code(people):
    event = record(CaseEvent.STATUS_CHANGED, people.alice.organisation, people.alice.member.user)
    event.refresh_from_db()
    assert event.action == "cases.status_changed"
    assert event.action == CaseEvent.STATUS_CHANGED


def test_record_still_accepts_a_declared_code_as_a_string(people):
    event = record("review.case_assigned", people.alice.organisation)
    assert event.action == ReviewEvent.CASE_ASSIGNED


def test_record_refuses_an_undeclared_code_and_writes_nothing(people):
    before = AuditEvent.objects.count()
    with pytest.raises(UnknownEventType, match=r"review\.case_asigned"):
        record("review.case_asigned", people.alice.organisation)
    assert AuditEvent.objects.count() == before


def test_every_code_recorded_in_the_source_is_declared():
    calls, unchecked, undeclared = 0, [], []
    for where, argument in _recorded_actions():
        calls += 1
        codes = [
            node.value
            for node in ast.walk(argument)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
        members = [node for node in ast.walk(argument) if isinstance(node, ast.Attribute)]
        if not codes and not members:
            unchecked.append(where)
        for code in codes:
            if find(code) is None:
                undeclared.append(f"{where}: {code}")
    assert calls > 20  # the scan found the calls (enum members are checked by the next test)
    assert not undeclared, "record() with undeclared codes"
    assert not unchecked, "record() with an action the scan cannot check: pass an enum member"


def test_every_event_type_used_in_the_source_is_declared():
    classes = _event_classes()
    used, missing = 0, []
    for path in _source_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in classes
                and node.attr.isupper()
            ):
                used += 1
                if node.attr not in classes[node.value.id].__members__:
                    missing.append(
                        f"{path.relative_to(SOURCE)}:{node.lineno} {node.value.id}.{node.attr}"
                    )
    assert used >= 1  # at least matching's import records a member
    assert not missing


def test_each_app_declares_its_own_events_under_its_own_label():
    for kind in event_types():
        app = type(kind).__module__.removeprefix("baraza.").removesuffix(".events")
        assert type(kind).__module__ == f"baraza.{app}.events"
        assert kind.code.startswith(f"{app}."), kind
        assert len(kind.code) <= AuditEvent._meta.get_field("action").max_length
    declaring = {type(kind).__module__ for kind in event_types()}
    assert declaring == {f"baraza.{app}.events" for app in APPS}


def test_event_types_are_strings_that_compare_with_stored_codes():
    assert ReviewEvent.CASE_ASSIGNED == "review.case_assigned"
    assert str(ReviewEvent.CASE_ASSIGNED) == "review.case_assigned"
    assert ReviewEvent("review.case_assigned") is ReviewEvent.CASE_ASSIGNED
    assert find("review.case_assigned") is ReviewEvent.CASE_ASSIGNED


def test_a_lookup_finds_every_app_even_when_the_registry_starts_empty(monkeypatch):
    monkeypatch.setattr(events, "_by_code", {})
    assert find("accountability.case_referred") is not None
    assert find("accounts.token_issued") is not None


def test_django_start_up_registers_every_apps_events_without_importing_them():
    script = (
        "import django; django.setup()\n"
        "from baraza.audit import events\n"
        "print(' '.join(sorted({code.split('.')[0] for code in events._by_code})))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "baraza.settings"}
    done = subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, check=True
    )
    assert done.stdout.split() == sorted(APPS)


def test_two_event_types_with_one_code_are_refused():
    class Clash(EventType):
        AGAIN = "cases.status_changed", "again"

    try:
        with pytest.raises(ImproperlyConfigured, match="declared twice"):
            events.discover()
    finally:
        del Clash
        gc.collect()
        events.discover()
    assert find("cases.status_changed") is CaseEvent.STATUS_CHANGED
