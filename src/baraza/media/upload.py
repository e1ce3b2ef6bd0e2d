"""Checking uploaded files before a report is accepted with them.

Everything that can be said from the bytes without real work is checked in the request, so a
person learns at once which file was refused and why: the number of files, the size of each and
of all together (413), the type sniffed from the bytes (never the name or the declared type),
the pixels a picture's header announces (decompression bombs) and the duration of a video or a
sound. Decoding, re-encoding, hashing and OCR happen later, in the worker.

Files are named in errors as `media[N]` (0-based, in the order sent) with the name the sender
gave, so a person with four files knows which one to fix.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from baraza.errors import InvalidField, TooLarge
from baraza.media.probe import Limits, Probed, Rejected, probe

CHUNK = 1024 * 1024


class Upload(Protocol):
    """What Django's UploadedFile (and a file read from an import's zip) offers."""

    name: str | None
    size: int | None

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]: ...


@dataclass(frozen=True)
class Accepted:
    """One checked file, its bytes in a temporary file until the report is saved."""

    position: int
    path: Path
    sha256: str
    size: int
    probed: Probed


def limits() -> Limits:
    return Limits(
        max_pixels=settings.MAX_IMAGE_PIXELS,
        max_video_seconds=float(settings.MAX_VIDEO_SECONDS),
        max_audio_seconds=float(settings.MAX_AUDIO_SECONDS),
    )


def field_name(position: int) -> str:
    return f"media[{position}]"


def _label(upload: Upload, position: int) -> str:
    name = (upload.name or "").strip()[:120]
    return name or _("file %(number)s") % {"number": position + 1}


def _copy(upload: Upload, position: int, folder: Path) -> tuple[Path, str, int]:
    """The upload in a file of our own, hashed, its size checked as it is read (a declared size
    can lie)."""
    digest = hashlib.sha256()
    path = folder / f"{position}"
    size = 0
    with path.open("wb") as out:
        for chunk in upload.chunks(CHUNK):
            size += len(chunk)
            if size > settings.MAX_MEDIA_BYTES:
                raise TooLarge(
                    _("%(file)s is larger than %(limit)s MB.")
                    % {"file": _label(upload, position), "limit": _megabytes()},
                    field=field_name(position),
                )
            digest.update(chunk)
            out.write(chunk)
    return path, digest.hexdigest(), size


def _megabytes(limit: int | None = None) -> str:
    return f"{(limit or settings.MAX_MEDIA_BYTES) / (1024 * 1024):g}"


def _check_count(uploads: Sequence[Upload]) -> None:
    if len(uploads) > settings.MAX_MEDIA_FILES:
        raise InvalidField(
            "media",
            _("A report may carry at most %(limit)s files; %(count)s were sent.")
            % {"limit": settings.MAX_MEDIA_FILES, "count": len(uploads)},
        )


def _check_total(uploads: Sequence[Upload]) -> None:
    declared = sum(upload.size or 0 for upload in uploads)
    if declared > settings.MAX_REPORT_MEDIA_BYTES:
        raise TooLarge(
            _("The files together are larger than %(limit)s MB.")
            % {"limit": _megabytes(settings.MAX_REPORT_MEDIA_BYTES)},
            field="media",
        )


def check_one(upload: Upload, position: int, folder: Path) -> Accepted:
    """One file: copied, hashed and probed; TooLarge or InvalidField naming it otherwise."""
    path, sha256, size = _copy(upload, position, folder)
    try:
        probed = probe(path, limits())
    except Rejected as rejected:
        raise InvalidField(
            field_name(position),
            _("%(file)s: %(reason)s")
            % {"file": _label(upload, position), "reason": rejected.reason},
        ) from None
    return Accepted(position=position, path=path, sha256=sha256, size=size, probed=probed)


@contextmanager
def checked(uploads: Sequence[Upload]) -> Iterator[list[Accepted]]:
    """The uploads, checked, in temporary files that are removed when the block ends (by then
    the report's action has kept them)."""
    _check_count(uploads)
    _check_total(uploads)
    with tempfile.TemporaryDirectory(prefix="baraza-upload-") as folder:
        accepted = [check_one(upload, n, Path(folder)) for n, upload in enumerate(uploads)]
        total = sum(item.size for item in accepted)
        if total > settings.MAX_REPORT_MEDIA_BYTES:
            raise TooLarge(
                _("The files together are larger than %(limit)s MB.")
                % {"limit": _megabytes(settings.MAX_REPORT_MEDIA_BYTES)},
                field="media",
            )
        yield accepted


class BytesUpload:
    """Bytes as an Upload (a file from an import's zip, a tipline's kept medium)."""

    def __init__(self, name: str, data: bytes | IO[bytes]) -> None:
        self.name = name
        self._data = data if isinstance(data, bytes) else data.read()
        self.size = len(self._data)

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        step = chunk_size or CHUNK
        for start in range(0, len(self._data), step):
            yield self._data[start : start + step]


class PathUpload:
    """A file on this machine as an Upload: read in chunks, so a huge one costs only the
    bytes read before the size check stops it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name: str | None = path.name
        self.size: int | None = path.stat().st_size

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        with self.path.open("rb") as file:
            while chunk := file.read(chunk_size or CHUNK):
                yield chunk
