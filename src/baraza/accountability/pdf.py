"""The transparency report as a printable PDF (A4): the same figures as the page and the JSON,
with the disparity tables, the charts and every published row."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from baraza.accountability.charts import Bars, png

_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _text(value: Any) -> str:
    return "-" if value is None else str(value)


def _table(header: list[str], rows: list[list[Any]]) -> Table:
    table = Table([header, *[[_text(v) for v in row] for row in rows]], repeatRows=1)
    table.setStyle(_STYLE)
    return table


def _chart(bars: Bars) -> Image:
    # Without an alpha channel: one image per chart in the PDF, no soft mask beside it.
    picture = io.BytesIO()
    PILImage.open(io.BytesIO(png(bars, dpi=150))).convert("RGB").save(picture, format="PNG")
    picture.seek(0)
    width = 16 * cm
    height = width * (0.9 + 0.28 * max(len(bars.labels), 1)) / 5.6
    return Image(picture, width=width, height=height)


def report_pdf(report: dict[str, Any], charts: list[Bars]) -> bytes:
    styles = getSampleStyleSheet()
    period = report["period"]
    scope = f"election {period['election']}, " if period["election"] else ""
    totals = report["totals"]
    story: list[Flowable] = [
        Paragraph("Baraza transparency report", styles["Title"]),
        Paragraph(f"{scope}{period['start']} to {period['end']}", styles["Normal"]),
        Paragraph(
            f"Schema version {report['schema_version']}. Cells with fewer than "
            f"{report['minimum_count']} reports are suppressed ({report['suppressed_cells']} "
            "this period) and no published figure is computed from them.",
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
        Paragraph("Totals", styles["Heading2"]),
        _table(
            ["Reports", "Cases", "Referrals", "Response rate", "Action rate", "Median h", "p90 h"],
            [
                [
                    totals["reports"],
                    totals["cases"],
                    totals["referrals"],
                    totals["response_rate"],
                    totals["action_rate"],
                    totals["median_hours_to_action"],
                    totals["p90_hours_to_action"],
                ]
            ],
        ),
    ]
    for dimension, table in report["disparity"].items():
        story.append(Paragraph(f"Disparity by {dimension}", styles["Heading2"]))
        if not table:
            story.append(Paragraph("No referrals in this period.", styles["Normal"]))
            continue
        story.append(
            _table(
                [dimension, "Referrals", "Actioned", "Median h", "Action rate", "Time x", "Rate x"],
                [
                    [
                        row["group"],
                        row["referrals"],
                        row["actioned"],
                        row["median_hours_to_action"],
                        row["action_rate"],
                        row["time_ratio"],
                        row["action_rate_ratio"],
                    ]
                    for row in table
                ],
            )
        )
    for bars in charts:
        story += [Spacer(1, 0.3 * cm), _chart(bars)]
    story += [
        Paragraph("Published cells", styles["Heading2"]),
        _table(
            [
                "Platform",
                "Country",
                "Lang.",
                "Category",
                "Reports",
                "Cases",
                "Referrals",
                "Acted",
                "Median h",
                "p90 h",
            ],
            [
                [
                    row["platform"],
                    row["country"],
                    row["language"],
                    row["category"],
                    row["reports"],
                    row["cases"],
                    row["referrals"],
                    row["actioned"],
                    row["median_hours_to_action"],
                    row["p90_hours_to_action"],
                ]
                for row in report["rows"]
            ],
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title="Baraza transparency report",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
    )
    document.build(story)
    return buffer.getvalue()
