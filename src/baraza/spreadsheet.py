"""Cells a spreadsheet would run as formulas: neutralised in every CSV Baraza writes, kept and
marked in every CSV or JSONL file it imports.

Excel, LibreOffice and Google Sheets run a cell that begins with `=`, `+`, `-` or `@` as a
formula (and some skip a leading tab or carriage return before looking), so a reported text like
`=HYPERLINK("http://x","click")` in a downloaded file becomes a live link or worse on the
downloader's machine. Our files carry text that reporters and monitors wrote, so:

- **Writing** (`safe_cell`, used by every CSV writer: open data, the transparency rows and
  disparity tables): the OWASP rule. A text cell beginning with one of `FORMULA_LEADS` is written
  with a single quote `'` before it, which spreadsheets read as "this is text"; a `-` or `=`
  elsewhere in a cell is left alone. Numbers are not text: an int or float (`-3`) is written as
  it is. A program reading our CSV sees the quote; the JSONL and Parquet files carry the text
  as it is (docs/open-data.md). Rows end with CRLF (RFC 4180, `dict_writer`), so that a cell
  holding a carriage return is quoted: with "\n" line ends Python's csv module leaves a lone
  "\r" bare, and a text could split its row in two, or forge one.
- **Reading** (`formula_like`, used by the report import): the text is kept exactly as the
  monitor's file has it (after the whitespace trim every report gets, whatever its channel) —
  a report is evidence, and a quote added on the way in would change what was said. Instead
  the import marks it: the numbers of the imported rows whose text begins like a formula are
  in the import's answer (`formula_like`) and in each batch's audit event, so whoever imported
  the file knows, and any CSV Baraza writes later neutralises the text anyway.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take this text, as a cell, for a formula."""
    return text.startswith(FORMULA_LEADS)


def safe_cell(value: Any) -> Any:
    """The value as a CSV cell: None is empty, formula-like text gets a leading `'`, anything
    else (numbers, dates) is written as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def dict_writer(buffer: IO[str], columns: list[str]) -> csv.DictWriter[str]:
    """The CSV writer of every file Baraza writes; its cells go through `safe_cell`."""
    return csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")


def any_formula_like(values: Iterable[object]) -> bool:
    """Whether any text among the values (or in a list among them, as JSONL rows carry) would
    be taken for a formula."""
    for value in values:
        texts = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(text, str) and formula_like(text) for text in texts):
            return True
    return False
