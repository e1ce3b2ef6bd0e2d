"""Reporter contact details are encrypted at rest with the keys in BARAZA_CONTACT_KEYS."""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(plaintext: str) -> str:
    return _cipher(tuple(settings.CONTACT_KEYS)).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    return _cipher(tuple(settings.CONTACT_KEYS)).decrypt(token.encode()).decode()
