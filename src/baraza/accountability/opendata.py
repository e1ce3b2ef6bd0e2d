"""Open data: every decided TLP:CLEAR case, one row each, as CSV, JSONL or Parquet.

What a row never holds: who reported (organisation, member, tracking code), any contact, and
any report that is not itself TLP:CLEAR. Reported texts are included only from clear reports
of clear cases — public content the coalition has decided to publish — with e-mail addresses
and phone numbers masked, as reporters sometimes paste their own. Columns are fixed and
versioned (docs/open-data.md).
"""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Min, Prefetch

from baraza.accountability.models import Referral, ResponseKind
from baraza.cases.models import Case, CaseStatus
from baraza.intake.models import Report
from baraza.review.models import Decision
from baraza.spreadsheet import dict_writer, safe_cell

OPEN_DATA_VERSION = "1"
COLUMNS = [
    "case_id",
    "election",
    "platform",
    "country",
    "language",
    "category",
    "reports",
    "first_reported",
    "decided",
    "outcome",
    "verdict",
    "severity",
    "harm_categories",
    "dsa_category",
    "public_reasons",
    "content_urls",
    "content_texts",
    "referrals",
    "referrals_actioned",
    "first_action_hours",
]
LIST_COLUMNS = {"harm_categories", "content_urls", "content_texts"}
CHUNK = 500

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ()./-]{7,}\d(?!\w)")


def mask_personal(text: str) -> str:
    """E-mail addresses and phone numbers, which reporters paste, are replaced by markers."""
    return _PHONE.sub(_phone_marker, _EMAIL.sub("[email]", text))


def _phone_marker(match: re.Match[str]) -> str:
    # Nine digits or more: phone numbers, not dates or counts.
    digits = sum(ch.isdigit() for ch in match.group())
    return "[phone]" if digits >= 9 else match.group()


def _public_cases() -> Any:
    anonymous = AnonymousUser()
    current = Decision.objects.current().select_related("verdict", "severity", "dsa_category")
    return (
        Case.objects.visible_to(anonymous)
        .filter(status=CaseStatus.DECIDED, merged_into__isnull=True)
        .select_related("election")
        .annotate(report_count=Count("links"), first_reported=Min("links__report__created_at"))
        .prefetch_related(
            Prefetch(
                "decisions", queryset=current.prefetch_related("categories"), to_attr="current"
            )
        )
        .order_by("pk")
    )


def _reports_of(case_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    public = Report.objects.visible_to(AnonymousUser()).filter(case_link__case_id__in=case_ids)
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for case_id, url, text in public.values_list("case_link__case_id", "url", "text"):
        found[case_id].append((url, text))
    return found


def _referrals_of(case_ids: list[int]) -> dict[int, list[Referral]]:
    sent = Referral.objects.filter(case_id__in=case_ids, sent_at__isnull=False)
    found: dict[int, list[Referral]] = defaultdict(list)
    for referral in sent.prefetch_related("responses"):
        found[referral.case_id].append(referral)
    return found


def _row(case: Case, reports: list[tuple[str, str]], referrals: list[Referral]) -> dict[str, Any]:
    decision: Decision = case.current[0]  # type: ignore[attr-defined]
    hours = [
        r.time_to_action.total_seconds() / 3600 for r in referrals if r.time_to_action is not None
    ]
    return {
        "case_id": case.pk,
        "election": case.election.slug if case.election else None,
        "platform": case.platform,
        "country": case.country,
        "language": case.language or None,
        "category": case.category,
        "reports": case.report_count,  # type: ignore[attr-defined]
        "first_reported": case.first_reported.date().isoformat()  # type: ignore[attr-defined]
        if case.first_reported  # type: ignore[attr-defined]
        else None,
        "decided": decision.created_at.date().isoformat(),
        "outcome": decision.outcome,
        "verdict": decision.verdict.code if decision.verdict else None,
        "severity": decision.severity.code if decision.severity else None,
        "harm_categories": sorted(term.code for term in decision.categories.all()),
        "dsa_category": decision.dsa_category.code if decision.dsa_category else None,
        "public_reasons": decision.public_reasons,
        "content_urls": sorted({url for url, _ in reports if url}),
        "content_texts": sorted({mask_personal(text) for _, text in reports if text.strip()}),
        "referrals": len(referrals),
        "referrals_actioned": sum(
            1 for r in referrals if r.first(ResponseKind.ACTIONED) is not None
        ),
        "first_action_hours": round(min(hours), 2) if hours else None,
    }


def open_cases() -> Iterator[dict[str, Any]]:
    """One dict per public decided case, in case order, a chunk of cases at a time."""
    chunk: list[Case] = []
    for case in _public_cases().iterator(chunk_size=CHUNK):
        if case.current:
            chunk.append(case)
        if len(chunk) == CHUNK:
            yield from _rows(chunk)
            chunk = []
    yield from _rows(chunk)


def _rows(cases: list[Case]) -> Iterator[dict[str, Any]]:
    ids = [case.pk for case in cases]
    reports, referrals = _reports_of(ids), _referrals_of(ids)
    for case in cases:
        yield _row(case, reports.get(case.pk, []), referrals.get(case.pk, []))


def csv_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Lists are joined with ' | ' (a value never contains it after this); every cell goes
    through `spreadsheet.safe_cell`, so no text is run as a formula."""
    buffer = io.StringIO()
    writer = dict_writer(buffer, COLUMNS)
    writer.writeheader()
    for row in rows:
        flat = {
            name: safe_cell(
                " | ".join(v.replace("|", "/") for v in value) if name in LIST_COLUMNS else value
            )
            for name, value in row.items()
        }
        writer.writerow(flat)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def jsonl_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def parquet_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    # pyarrow is heavy to import; only a Parquet download pays for it.
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("case_id", pa.int64()),
            ("election", pa.string()),
            ("platform", pa.string()),
            ("country", pa.string()),
            ("language", pa.string()),
            ("category", pa.string()),
            ("reports", pa.int64()),
            ("first_reported", pa.string()),
            ("decided", pa.string()),
            ("outcome", pa.string()),
            ("verdict", pa.string()),
            ("severity", pa.string()),
            ("harm_categories", pa.list_(pa.string())),
            ("dsa_category", pa.string()),
            ("public_reasons", pa.string()),
            ("content_urls", pa.list_(pa.string())),
            ("content_texts", pa.list_(pa.string())),
            ("referrals", pa.int64()),
            ("referrals_actioned", pa.int64()),
            ("first_action_hours", pa.float64()),
        ],
        metadata={"schema": "baraza-open-cases", "schema_version": OPEN_DATA_VERSION},
    )
    buffer = io.BytesIO()
    with pq.ParquetWriter(buffer, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return buffer.getvalue()
