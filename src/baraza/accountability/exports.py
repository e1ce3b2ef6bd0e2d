"""The transparency report as CSV files: one for the rows, one for the disparity tables. Their
columns are fixed and versioned with the JSON (docs/transparency-report.md); a test reads them
back against these lists. Every cell goes through `spreadsheet.safe_cell`: text that a spreadsheet
would run as a formula is written as text."""

from __future__ import annotations

import io
from typing import Any

from baraza.review.models import Outcome
from baraza.spreadsheet import dict_writer, safe_cell

OUTCOMES = list(Outcome.values)
ROW_COLUMNS = [
    "schema_version",
    "period_start",
    "period_end",
    "election",
    "platform",
    "country",
    "language",
    "category",
    "reports",
    "cases",
    *(f"decisions_{outcome}" for outcome in OUTCOMES),
    "referrals",
    "response_rate",
    "action_rate",
    "actioned",
    "median_hours_to_action",
    "p90_hours_to_action",
]
DISPARITY_COLUMNS = [
    "schema_version",
    "period_start",
    "period_end",
    "election",
    "dimension",
    "group",
    "referrals",
    "actioned",
    "median_hours_to_action",
    "action_rate",
    "time_ratio",
    "action_rate_ratio",
]


def _prefix(report: dict[str, Any]) -> dict[str, Any]:
    period = report["period"]
    return {
        "schema_version": report["schema_version"],
        "period_start": period["start"],
        "period_end": period["end"],
        "election": period["election"] or "",
    }


def _write(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = dict_writer(buffer, columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: safe_cell(row.get(name)) for name in columns})
    return buffer.getvalue()


def rows_csv(report: dict[str, Any]) -> str:
    prefix = _prefix(report)
    rows = []
    for row in report["rows"]:
        decisions = {f"decisions_{o}": row["decisions"].get(o, 0) for o in OUTCOMES}
        rows.append({**prefix, **row, **decisions})
    return _write(ROW_COLUMNS, rows)


def disparity_csv(report: dict[str, Any]) -> str:
    prefix = _prefix(report)
    rows = [
        {**prefix, "dimension": dimension, **row}
        for dimension, table in report["disparity"].items()
        for row in table
    ]
    return _write(DISPARITY_COLUMNS, rows)
