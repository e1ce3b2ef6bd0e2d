"""The media store: one encrypted file per content, named by the SHA-256 of the plaintext,
written whole or not at all, read back only if it still holds those bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from baraza.channels import media_store

PICTURE = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 16


def files_in(settings: Any) -> list[Path]:
    return sorted(path for path in Path(settings.CHANNEL_MEDIA_DIR).rglob("*") if path.is_file())


def test_keeping_returns_the_sha256_and_reads_back_the_same_bytes(settings: Any) -> None:
    digest = media_store.keep(PICTURE)

    assert digest == hashlib.sha256(PICTURE).hexdigest()
    assert media_store.exists(digest) and media_store.read(digest) == PICTURE
    assert not media_store.exists(hashlib.sha256(b"something else").hexdigest())


def test_the_same_bytes_kept_twice_make_one_file_and_no_temporary_is_left(settings: Any) -> None:
    first, second = media_store.keep(PICTURE), media_store.keep(PICTURE)

    assert first == second
    [path] = files_in(settings)
    assert path.name == first and path.parent.name == first[:2]


def test_the_file_on_disk_is_a_token_of_the_contact_keys_not_the_bytes(settings: Any) -> None:
    digest = media_store.keep(PICTURE)
    raw = (Path(settings.CHANNEL_MEDIA_DIR) / digest[:2] / digest).read_bytes()

    assert PICTURE[4:36] not in raw
    assert Fernet(settings.CONTACT_KEYS[0]).decrypt(raw) == PICTURE


def test_a_file_made_with_a_retired_key_is_still_read(settings: Any) -> None:
    digest = media_store.keep(PICTURE)
    settings.CONTACT_KEYS = [Fernet.generate_key().decode(), *settings.CONTACT_KEYS]

    assert media_store.read(digest) == PICTURE


def test_a_name_that_is_not_a_sha256_is_refused(settings: Any) -> None:
    for name in ("../../etc/passwd", "ABC", hashlib.sha256(b"x").hexdigest().upper()):
        with pytest.raises(ValueError):
            media_store.read(name)
        with pytest.raises(ValueError):
            media_store.exists(name)


def test_a_file_that_holds_other_bytes_is_refused_when_read(settings: Any) -> None:
    digest = media_store.keep(PICTURE)
    other = media_store.keep(b"another picture")
    [target] = [path for path in files_in(settings) if path.name == digest]
    [source] = [path for path in files_in(settings) if path.name == other]
    target.write_bytes(source.read_bytes())

    with pytest.raises(ValueError, match="other bytes"):
        media_store.read(digest)


def test_a_file_no_key_opens_is_refused_when_read(settings: Any) -> None:
    digest = media_store.keep(PICTURE)
    settings.CONTACT_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ValueError, match="cannot be decrypted"):
        media_store.read(digest)


def test_a_missing_file_is_file_not_found(settings: Any) -> None:
    with pytest.raises(FileNotFoundError):
        media_store.read(hashlib.sha256(b"never kept").hexdigest())
