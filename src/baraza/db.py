"""Database helpers shared by the apps' actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction

T = TypeVar("T")


def atomic_with_retry(work: Callable[[], T], attempts: int = 2) -> T:
    """Run `work` in one transaction; if a unique constraint says another process won a race,
    roll back and run it again (the retry then sees the winner's rows)."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except IntegrityError:
            if attempt == attempts:
                raise
    raise AssertionError("attempts must be at least 1")
