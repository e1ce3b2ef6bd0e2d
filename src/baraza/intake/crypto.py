"""Reporter contact details (and the media people send to the tiplines) are encrypted at rest
with the keys in BARAZA_CONTACT_KEYS."""

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


def encrypt_bytes(data: bytes) -> bytes:
    """A Fernet token of `data` under the first key (a picture, a voice note)."""
    return _cipher(tuple(settings.CONTACT_KEYS)).encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """The bytes of a token made by `encrypt_bytes` under any of the keys (rotation)."""
    return _cipher(tuple(settings.CONTACT_KEYS)).decrypt(token)
