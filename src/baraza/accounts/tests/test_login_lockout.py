"""Repeated failed log-ins lock the account they aim at, on the site's log-in and on the admin's:
every attempt then answers 429 with Retry-After, even with the right password, while other
accounts log in as usual and a name nobody holds locks the same way (the lock tells a guesser
nothing about which accounts exist). A successful log-in starts the count again."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from baraza.accounts import lockout
from baraza.conftest import PASSWORD, People

NOBODY = "nobody@nowhere.example"
FAILURES = 3


@pytest.fixture(autouse=True)
def _lock_after_three(settings: Any, people: People) -> Iterator[None]:
    """Three failures lock; each test starts and ends with no count (the cache outlives it).
    The per-account rate would also refuse, later: it is widened to leave the lock alone."""
    settings.LOGIN_LOCKOUT_FAILURES = FAILURES
    settings.LOGIN_RATE = "1000/m"
    names = [NOBODY, *(p.member.user.email for p in (people.alice, people.amina, people.bob))]
    for name in names:
        lockout.clear(name)
    yield
    for name in names:
        lockout.clear(name)


def _attempt(path: str, username: str, password: str, n: int = 1) -> Any:
    """Log-in attempts from a fresh address each, so only the per-account count is at stake."""
    response = None
    for _ in range(n):
        client = Client(REMOTE_ADDR=f"203.0.113.{next(_addresses) % 250 + 1}")
        response = client.post(path, {"username": username, "password": password})
    return response


_addresses = itertools.count()


def _logged_in(response: Any) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def _refused_with_retry_after(response: Any, minutes: int = 15) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= minutes * 60
    assert "Too many failed log-ins for this account" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_failures_lock_one_account_while_another_still_logs_in(path: str, people: People) -> None:
    alice, bob = people.alice.member.user.email, people.bob.member.user.email
    if path.startswith("/admin/"):  # the admin's door is the admin role
        for person in (people.alice, people.bob):
            person.member.role = "admin"
            person.member.save()
    wrong = _attempt(path, alice, "guess", n=FAILURES)
    assert wrong.status_code == 200  # the last failure is still answered as a failure
    _refused_with_retry_after(_attempt(path, alice, PASSWORD))
    assert _logged_in(_attempt(path, bob, PASSWORD))


def test_a_lock_on_the_site_holds_on_the_admin_too(people: People) -> None:
    amina = people.amina.member.user.email
    people.amina.member.role = "admin"
    people.amina.member.save()
    _attempt("/login/", amina, "guess", n=FAILURES)
    _refused_with_retry_after(_attempt("/admin/login/", amina, PASSWORD))


def test_a_name_that_is_no_account_locks_the_same_way(people: People) -> None:
    """An anonymous guesser cannot tell an account from a made-up name by the lock."""
    for name in (NOBODY, people.alice.member.user.email):
        _attempt("/login/", name, "guess", n=FAILURES)
        _refused_with_retry_after(_attempt("/login/", name, "guess"))


def test_a_successful_log_in_starts_the_count_again(people: People) -> None:
    alice = people.alice.member.user.email
    _attempt("/login/", alice, "guess", n=FAILURES - 1)
    assert _logged_in(_attempt("/login/", alice, PASSWORD))
    _attempt("/login/", alice, "guess", n=FAILURES - 1)
    assert _logged_in(_attempt("/login/", alice, PASSWORD))


def test_the_lock_lasts_the_configured_window(people: People, settings: Any) -> None:
    settings.LOGIN_LOCKOUT_MINUTES = 2
    alice = people.alice.member.user.email
    _attempt("/login/", alice, "guess", n=FAILURES)
    response = _attempt("/login/", alice, PASSWORD)
    _refused_with_retry_after(response, minutes=2)
    assert int(response["Retry-After"]) > 60
    assert "Try again in 2 minutes" in response.content.decode()


def test_the_address_limit_also_answers_with_retry_after(people: People, settings: Any) -> None:
    settings.LOGIN_RATE = "2/m"
    for n, path in enumerate(("/login/", "/admin/login/")):
        client = Client(REMOTE_ADDR=f"198.51.100.{200 + n}")
        for _ in range(2):
            client.post(path, {"username": NOBODY, "password": "guess"})
        response = client.post(path, {"username": people.bob.member.user.email})
        assert response.status_code == 429
        assert response["Retry-After"] == "60"
