"""Where media bytes live: Django's storage API, the `media` storage of `settings.STORAGES`.

The filesystem under BARAZA_DATA_DIR/media by default; any S3-compatible object store through
django-storages when BARAZA_MEDIA_STORAGE=s3 (scale-out: web and workers on several machines
share the bucket). Names are derived from the original's SHA-256, so the same content is kept
once however many reports carry it, and a name can never be chosen by a sender:

- `originals/ab/<sha256>`        the original bytes, a Fernet token under the contact keys
                                 (intake.crypto): a copied disk or bucket shows no picture;
- `derivatives/ab/<sha256>`      the re-encoded copy without metadata that reviewers see;
- `thumbnails/ab/<sha256>.jpg`   a small JPEG of a picture or a video's frame.
"""

from __future__ import annotations

import re
from typing import IO

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages

from baraza.intake import crypto

_SHA256 = re.compile(r"[0-9a-f]{64}")


def media_storage() -> Storage:
    return storages["media"]


def _name(folder: str, sha256: str, suffix: str = "") -> str:
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 in hex: {sha256[:80]!r}")
    return f"{folder}/{sha256[:2]}/{sha256}{suffix}"


def original_name(sha256: str) -> str:
    return _name("originals", sha256)


def derivative_name(sha256: str) -> str:
    return _name("derivatives", sha256)


def thumbnail_name(sha256: str) -> str:
    return _name("thumbnails", sha256, ".jpg")


def _put(name: str, content: File[bytes] | ContentFile[bytes]) -> None:
    storage = media_storage()
    if storage.exists(name):  # the same content, kept before: one copy serves every report
        return
    saved = storage.save(name, content)
    if saved != name:  # a concurrent writer won the name: theirs holds the same bytes
        storage.delete(saved)


def keep_original(sha256: str, data: bytes) -> None:
    """Encrypt and store the original bytes (once per content)."""
    _put(original_name(sha256), ContentFile(crypto.encrypt_bytes(data)))


def read_original(sha256: str) -> bytes:
    with media_storage().open(original_name(sha256), "rb") as file:
        return crypto.decrypt_bytes(file.read())


def keep_derivative(sha256: str, file: IO[bytes]) -> None:
    _put(derivative_name(sha256), File(file))


def keep_thumbnail(sha256: str, file: IO[bytes]) -> None:
    _put(thumbnail_name(sha256), File(file))


def open_derivative(sha256: str) -> IO[bytes]:
    return media_storage().open(derivative_name(sha256), "rb")


def open_thumbnail(sha256: str) -> IO[bytes]:
    return media_storage().open(thumbnail_name(sha256), "rb")
