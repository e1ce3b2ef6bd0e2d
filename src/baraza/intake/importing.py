"""Reading monitors' files (CSV or JSONL) into rows for `do_import_reports`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from django.conf import settings

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
