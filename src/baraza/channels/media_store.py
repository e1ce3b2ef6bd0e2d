"""The media people send to the tiplines, kept encrypted at rest for the media pipeline.

One file per content under BARAZA_DATA_DIR/tipline-media (`settings.CHANNEL_MEDIA_DIR`), named
by the SHA-256 of the plaintext: the same picture forwarded by a hundred people is stored once,
and a message's media entry finds its bytes by that hash. Each file holds the Fernet token of
the bytes under the contact keys (`intake.crypto`), so a copied disk shows no picture; the
names do reveal the hashes, which is what lets a known file be recognised without decrypting.
Files are written to a temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.conf import settings

from baraza.intake import crypto

_SHA256 = re.compile(r"[0-9a-f]{64}")


def _path(sha256: str) -> Path:
    """Where a content's file lives; two hex digits of fan-out keep folders small. Anything but
    a SHA-256 in lowercase hex is refused, so a name can never climb out of the folder."""
    if not _SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 in hex: {sha256[:80]!r}")
    return Path(settings.CHANNEL_MEDIA_DIR) / sha256[:2] / sha256


def exists(sha256: str) -> bool:
    return _path(sha256).is_file()


def keep(data: bytes) -> str:
    """Store `data` encrypted, once per content; returns its SHA-256 in hex."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = _path(sha256)
    if path.is_file():
        return sha256
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(path, crypto.encrypt_bytes(data))
    return sha256


def _write_atomically(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())  # on disk before the rename makes it visible
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read(sha256: str) -> bytes:
    """The bytes kept under `sha256`. FileNotFoundError when none are; ValueError when the file
    no longer holds them (a damaged disk, a lost key)."""
    try:
        data = crypto.decrypt_bytes(_path(sha256).read_bytes())
    except InvalidToken as error:
        raise ValueError(f"the file kept as {sha256} cannot be decrypted") from error
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError(f"the file kept as {sha256} holds other bytes")
    return data
