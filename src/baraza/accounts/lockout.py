"""The gate in front of every log-in form (the site's and the admin's): limits per address and
per account, and a lock on an account after repeated failed attempts.

The rate limits slow guessing down; the lock stops it. After BARAZA_LOGIN_LOCKOUT_FAILURES
failures for one account within BARAZA_LOGIN_LOCKOUT_MINUTES, every attempt for that account is
refused for that long, even with the right password, so a guesser learns nothing from trying.
Counts live in Django's cache (Redis when scaled out), shared by every web process and thread,
and key on the name typed, not on an account found: a name nobody holds locks the same way, so
the lock does not tell which accounts exist. Failures are counted from Django's
`user_login_failed` signal (any form that calls `authenticate`), and a log-in clears them.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import ngettext

from baraza.ratelimits import RateLimited, enforce

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refusal:
    """Why a log-in attempt is not even tried, and when trying again can succeed."""

    message: str
    retry_after: int


def normalise(username: object) -> str:
    """The name an attempt counts against: the same account however it is typed."""
    return str(username or "").strip().lower()[:254]


def _key(kind: str, username: str) -> str:
    # Hashed: cache keys are short and safe whatever was typed, and the cache holds no names.
    digest = hashlib.sha256(normalise(username).encode()).hexdigest()
    # The rate limits' prefix: tests give each run its own, as for the limits' counters.
    prefix = getattr(settings, "RATELIMIT_CACHE_PREFIX", "rl:")
    return f"{prefix}login-{kind}:{digest}"


def _window_seconds() -> int:
    return int(settings.LOGIN_LOCKOUT_MINUTES) * 60


def locked_for(username: str) -> int:
    """Seconds until this account may be tried again; 0 when it is not locked."""
    until = cache.get(_key("locked", username))
    return max(1, math.ceil(until - time.time())) if until else 0


def record_failure(username: str) -> None:
    """Count one failed attempt; the last one allowed locks the account for the window."""
    if not normalise(username):
        return
    key, window = _key("failures", username), _window_seconds()
    cache.add(key, 0, window)  # the window starts at the first failure
    try:
        failures = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, window)
        failures = 1
    if failures >= int(settings.LOGIN_LOCKOUT_FAILURES):
        cache.set(_key("locked", username), time.time() + window, window)
        cache.delete(key)
        logger.warning("log-in locked for %s after %d failed attempts", username, failures)


def clear(username: str) -> None:
    """A successful log-in starts the count again."""
    cache.delete_many([_key("failures", username), _key("locked", username)])


@receiver(user_login_failed, dispatch_uid="baraza-login-lockout-failure")
def _count_failure(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    record_failure(normalise(credentials.get("username")))


@receiver(user_logged_in, dispatch_uid="baraza-login-lockout-success")
def _clear_on_success(sender: Any, user: Any, **kwargs: Any) -> None:
    clear(normalise(user.get_username()))


def refusal(request: HttpRequest) -> Refusal | None:
    """Why this log-in attempt must not be tried, or None: the per-address and per-account
    rates first (they count every attempt), then the account's lock."""
    username = normalise(request.POST.get("username"))
    try:
        enforce(request, "login", settings.LOGIN_RATE)
        # Per account too, so guessing one password from many addresses is also slow.
        enforce(request, "login-account", settings.LOGIN_RATE, key=f"user:{username}")
    except RateLimited as error:
        return Refusal(str(error), error.retry_after)
    seconds = locked_for(username)
    if seconds:
        minutes = math.ceil(seconds / 60)
        message = ngettext(
            "Too many failed log-ins for this account. Try again in %(minutes)d minute.",
            "Too many failed log-ins for this account. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        return Refusal(message, seconds)
    return None
