"""Fixtures shared by every app's tests: a small coalition of people with different access."""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from baraza.accounts.actions import do_create_member
from baraza.accounts.models import Member, Organisation
from baraza.intake.actions import do_submit_report
from baraza.intake.models import Channel, Report
from baraza.intake.validation import ReportIn

PASSWORD = "correct horse battery staple"
_addresses = itertools.count(1)


@dataclass
class Person:
    member: Member
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def organisation(self) -> Organisation:
        return self.member.organisation


@dataclass
class People:
    secretariat: Person  # host organisation, triages public reports
    alice: Person  # reviewer at Ukweli Fact-Check ("org A")
    amina: Person  # monitor at Ukweli Fact-Check
    bob: Person  # reviewer at Sauti Civic Watch ("org B"), another organisation
    carol: Person  # reviewer at Gaskiya Media Lab ("org C"), a third organisation


ORGANISATION_NAMES = {
    "ukweli": "Ukweli Fact-Check",
    "sauti": "Sauti Civic Watch",
    "gaskiya": "Gaskiya Media Lab",
}


def _person(org: str, role: str, email: str) -> Person:
    created = do_create_member(
        org_slug=org,
        org_name=ORGANISATION_NAMES.get(org),
        role=role,
        email=email,
        password=PASSWORD,
    )
    return Person(created.member, created.token)


@pytest.fixture
def people(db: None) -> People:
    return People(
        secretariat=_person(settings.HOST_ORGANISATION, "secretariat", "sec@host.example"),
        alice=_person("ukweli", "reviewer", "alice@ukweli.example"),
        amina=_person("ukweli", "monitor", "amina@ukweli.example"),
        bob=_person("sauti", "reviewer", "bob@sauti.example"),
        carol=_person("gaskiya", "reviewer", "carol@gaskiya.example"),
    )


@pytest.fixture(autouse=True, scope="session")
def _fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache, which is Redis when configured and outlives a
    test run: give each run its own keys so no count carries over from the last one."""
    previous = getattr(settings, "RATELIMIT_CACHE_PREFIX", "rl:")
    settings.RATELIMIT_CACHE_PREFIX = f"rl:test-{uuid.uuid4().hex}:"
    yield
    settings.RATELIMIT_CACHE_PREFIX = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """PBKDF2's cost is the point in production and dead time in tests (five people per test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_report_index(tmp_path: Path, settings: Any) -> Iterator[None]:
    """Each test's database starts empty, so each gets a fresh replica of the report index,
    with its derived files (index files) in the test's own directory (test processes run side
    by side). The embedding cache is opened once per process, where the first test put it."""
    from baraza.cases import similarity
    from baraza.matching.storage import TemporaryFiles
    from baraza.media import matching

    settings.DERIVED_FILES = TemporaryFiles(tmp_path / "derived")
    settings.STORAGES = {
        **settings.STORAGES,
        "media": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    similarity.report_index.cache_clear()
    matching.pdq_index.cache_clear()
    yield
    similarity.report_index.cache_clear()
    matching.pdq_index.cache_clear()


@pytest.fixture
def client() -> Client:
    # A distinct address per test keeps the per-IP rate limits of one test out of another's way,
    # even when tests share a Redis cache.
    return Client(REMOTE_ADDR=f"10.{next(_addresses) % 250}.{next(_addresses) % 250}.7")


@pytest.fixture
def placed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with placed(): ...` runs what was queued after commit (clustering) when the block ends,
    as the worker would. Tests run inside a transaction, so nothing commits by itself."""

    def run() -> AbstractContextManager[Any]:
        return django_capture_on_commit_callbacks(execute=True)

    return run


REPORT = {
    "text": "Polling stations in Kisumu will close at 2pm on voting day, not 5pm.",
    "platform": "whatsapp",
    "country": "KE",
    "category": "voter_suppression",
}


@pytest.fixture
def make_report(
    placed: Callable[[], AbstractContextManager[Any]],
) -> Iterator[Callable[..., Report]]:
    """Submit a report through the real action (and place it in a case)."""

    def make(by: Person | None = None, **fields: Any) -> Report:
        data = {**REPORT, **fields}
        with placed():
            report = do_submit_report(
                ReportIn.model_validate(data),
                member=by.member if by else None,
                channel=Channel.API,
            )
        report.refresh_from_db()
        return report

    yield make


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (no browser download), for the page tests."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    # Playwright's sync API keeps an event loop running in this thread, which Django takes for
    # an async context; the test's own database calls are ordinary synchronous ones.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
