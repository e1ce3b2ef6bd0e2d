"""Reading monitors' files (CSV or JSONL, or a zip of one with the media its rows name) into
rows for `do_import_reports`.

A zip comes from outside, so it is distrusted before a byte is inflated: its entries' declared
sizes together (at most five times BARAZA_MAX_IMPORT_BYTES), its compression ratio (a zip bomb
expands a thousand times), its number of entries, its names (none absolute, none with `..`:
nothing is ever written by those names, but a file that tries is not an honest export), and its
compression methods. Then every read stops at its own cap, whatever the headers declare.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from baraza.errors import InvalidField

FORMATS = ("csv", "jsonl")

Row = tuple[int, dict[str, object] | str]


class UnreadableFile(InvalidField):
    """The file as a whole cannot be imported; nothing was imported (422 on `file`)."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(field, message)


def detect_format(filename: str, declared: str | None = None) -> str:
    if declared:
        if declared not in FORMATS:
            raise UnreadableFile(f"must be csv or jsonl, not {declared!r}", "format")
        return declared
    lowered = filename.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    raise UnreadableFile("cannot tell the format from the file name: give format=csv or jsonl")


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"the file is not UTF-8 (byte {error.start})") from None


def _without_blanks(row: dict[str | None, object]) -> dict[str, object]:
    # An empty CSV cell means "not given", as a missing JSON key does.
    return {str(k): v for k, v in row.items() if v not in ("", None)}


def read_rows(content: bytes, file_format: str) -> list[Row]:
    """The file's rows with their cells as written: a cell a spreadsheet would run as a formula
    (`=1+1`, `'=1+1` from an export) is neither unquoted nor refused here; the import keeps it
    and marks its row (baraza.spreadsheet)."""
    text = _decode(content)
    rows = list(_csv_rows(text) if file_format == "csv" else _jsonl_rows(text))
    if len(rows) > settings.MAX_IMPORT_ROWS:
        raise UnreadableFile(
            f"the file has {len(rows)} rows; at most {settings.MAX_IMPORT_ROWS} at a time"
        )
    return rows


def _csv_rows(text: str) -> Iterator[Row]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        if not reader.fieldnames:
            raise UnreadableFile("the CSV file has no header row")
        yield from _csv_records(reader)
    except csv.Error as error:
        # The csv module cannot resume after this (e.g. a cell over its size limit).
        raise UnreadableFile(f"CSV line {reader.line_num}: {error}") from None


def _csv_records(reader: csv.DictReader[str]) -> Iterator[Row]:
    columns = len(reader.fieldnames or ())
    for row in reader:
        number = reader.line_num
        if None in row:
            yield (
                number,
                f"has {len(row) - 1 + len(row[None])} cells for {columns} columns",
            )
            continue
        yield number, _without_blanks(row)


def _jsonl_rows(text: str) -> Iterator[Row]:
    for number, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, f"is not valid JSON: {error.msg} at column {error.colno}"
            continue
        except (RecursionError, ValueError):
            yield number, "is not JSON this importer accepts (nested too deep or a huge number)"
            continue
        if not isinstance(value, dict):
            yield number, "is not a JSON object"
            continue
        yield number, _without_blanks(value)


# --- a zip: one CSV or JSONL file and the media files its rows name ---------------------------

ZIP_MAGIC = b"PK\x03\x04"
DATA_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".json")
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_RATIO = 100  # uncompressed : compressed, over the whole archive
RATIO_FROM_BYTES = 1024 * 1024  # small archives of text may compress better, harmlessly
READ_CHUNK = 64 * 1024
# Deflate expands at most about 1000:1 per chunk read; bzip2 and LZMA may expand a few compressed
# bytes into gigabytes in one call, so they are refused.
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
MEDIA_SEPARATOR = "|"
DRIVE = re.compile(r"^[A-Za-z]:")


def zip_cap() -> int:
    """Bytes an import's zip may hold once uncompressed (its media with its rows)."""
    return int(settings.MAX_IMPORT_BYTES) * 5


def is_zip(name: str, head: bytes) -> bool:
    return name.lower().endswith(".zip") or head.startswith(ZIP_MAGIC)


def media_names(value: object) -> list[str]:
    """The files a row names: `a.jpg|b.jpg` in a CSV cell, a list of names in JSONL."""
    if isinstance(value, str):
        names = value.split(MEDIA_SEPARATOR)
    elif isinstance(value, list) and all(isinstance(name, str) for name in value):
        names = value
    else:
        raise ValueError(_("media must be file names: a|b in CSV, a list of names in JSONL"))
    return [name.strip() for name in names if name.strip()]


def _unsafe_name(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(DRIVE.match(path)) or ".." in path.split("/")


def _ignored(name: str) -> bool:
    # What macOS adds to the zips it makes: resource forks, never the monitor's files.
    return name.startswith("__MACOSX/") or posixpath.basename(name).startswith("._")


class MediaUnavailable(InvalidField):
    """A file a row names cannot be had: the row is rejected, the others go on."""

    def __init__(self, message: str) -> None:
        super().__init__("media", message)


class ZipMedium:
    """One file of the archive as an upload for the media checks, read only as they read it:
    in chunks, never past BARAZA_MAX_MEDIA_BYTES + 1 whatever its header declares (the checks
    then refuse it as too large), hashed on the way."""

    def __init__(self, archive: ImportArchive, info: zipfile.ZipInfo, name: str) -> None:
        self._archive = archive
        self._info = info
        self.name: str | None = name
        self.size: int | None = info.file_size
        self._sha256: str | None = None

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        digest = hashlib.sha256()
        for chunk in self._archive.read_chunks(self._info, int(settings.MAX_MEDIA_BYTES) + 1):
            digest.update(chunk)
            yield chunk
        self._sha256 = digest.hexdigest()

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            for _chunk in self.chunks():
                pass
        return str(self._sha256)


class ImportArchive:
    """An import's zip, checked before anything is read: its declared sizes, compression ratio,
    number of entries and names. Every read is bounded, whatever the headers declare."""

    def __init__(self, file: IO[bytes]) -> None:
        try:
            self._zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            raise UnreadableFile(_("the file is not a zip that can be read")) from None
        self._entries = {info.filename: info for info in self._zip.infolist() if not info.is_dir()}
        # Rows may name the same file again and again: each naming reads, copies and checks it,
        # so all reads of one import together are bounded too (twice what the zip may hold).
        self._read_budget = 2 * zip_cap()
        try:
            self._check()
            self.data_name = self._data_file()
        except UnreadableFile:
            self._zip.close()
            raise

    def __enter__(self) -> ImportArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()

    def _check(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise UnreadableFile(
                _("the zip holds %(count)s entries; at most %(limit)s")
                % {"count": len(infos), "limit": MAX_ZIP_ENTRIES}
            )
        for info in infos:
            if _unsafe_name(info.filename):
                raise UnreadableFile(
                    _("the zip holds %(name)r: names may not be absolute or contain ..")
                    % {"name": info.filename[:200]}
                )
            if info.flag_bits & 0x1 or info.compress_type not in COMPRESSIONS:
                raise UnreadableFile(
                    _("%(name)r is encrypted or compressed in a way this importer does not read")
                    % {"name": info.filename[:200]}
                )
        self._check_sizes(infos)

    def _check_sizes(self, infos: list[zipfile.ZipInfo]) -> None:
        declared = sum(info.file_size for info in infos)
        if declared > zip_cap():
            raise UnreadableFile(
                _("the zip's files come to %(size)s MB uncompressed; at most %(limit)s MB")
                % {"size": declared // (1024 * 1024), "limit": zip_cap() // (1024 * 1024)}
            )
        compressed = max(1, sum(info.compress_size for info in infos))
        if declared > RATIO_FROM_BYTES and declared / compressed > MAX_ZIP_RATIO:
            raise UnreadableFile(
                _("the zip expands %(ratio)s times; at most %(limit)s (is it a zip bomb?)")
                % {"ratio": declared // compressed, "limit": MAX_ZIP_RATIO}
            )

    def _data_file(self) -> str:
        found = [
            name
            for name in self._entries
            if name.lower().endswith(DATA_SUFFIXES) and not _ignored(name)
        ]
        if len(found) != 1:
            raise UnreadableFile(
                _("the zip must hold one CSV or JSONL file; it holds %(count)s")
                % {"count": len(found)}
            )
        return found[0]

    def read_chunks(self, info: zipfile.ZipInfo, limit: int) -> Iterator[bytes]:
        """A member's bytes, stopped once `limit` bytes (at most the archive's cap) are read:
        a header may lie about the size."""
        left = min(limit, zip_cap())
        try:
            with self._zip.open(info) as member:
                while left > 0 and (chunk := member.read(min(READ_CHUNK, left))):
                    left -= len(chunk)
                    self._read_budget -= len(chunk)
                    if self._read_budget < 0:
                        raise MediaUnavailable(
                            _(
                                "the import has read %(limit)s MB from the zip, as much as one "
                                "import may: split the file"
                            )
                            % {"limit": 2 * zip_cap() // (1024 * 1024)}
                        )
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
            raise MediaUnavailable(
                _("%(name)s cannot be read from the zip (damaged)") % {"name": info.filename}
            ) from None

    def rows(self, declared_format: str | None = None) -> list[Row]:
        file_format = detect_format(self.data_name, declared_format)
        info = self._entries[self.data_name]
        try:
            content = b"".join(self.read_chunks(info, int(settings.MAX_IMPORT_BYTES) + 1))
        except MediaUnavailable as error:
            raise UnreadableFile(error.message) from None
        if len(content) > settings.MAX_IMPORT_BYTES:
            raise UnreadableFile(
                _("%(name)s is larger than %(limit)s bytes")
                % {"name": self.data_name, "limit": settings.MAX_IMPORT_BYTES}
            )
        return read_rows(content, file_format)

    def medium(self, name: str) -> ZipMedium:
        """The file a row names: beside the data file, or from the zip's top."""
        folder = posixpath.dirname(self.data_name)
        wanted = name.replace("\\", "/").removeprefix("./")
        for candidate in (posixpath.normpath(posixpath.join(folder, wanted)), wanted):
            info = self._entries.get(candidate)
            if info is not None and candidate != self.data_name:
                return ZipMedium(self, info, name)
        raise MediaUnavailable(_("%(name)s is not in the zip") % {"name": name})
