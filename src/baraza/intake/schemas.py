from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from baraza.intake.models import Category, Channel, Platform, Report, ReportStatus
from baraza.tlp import TLP

TRACKING_CODE = "the report's tracking code, in groups of four (K7QM-3XHP-9TWD)"


class SubmittedOut(Schema):
    """A report was received: keep the tracking code to follow it."""

    tracking_code: str = Field(description=TRACKING_CODE + "; the only way to follow it later")
    status: ReportStatus = Field(description="the report's status (received at first)")


class StatusOut(Schema):
    """All a tracking code reveals: the report's own status and public outcome."""

    tracking_code: str = Field(description=TRACKING_CODE)
    status: ReportStatus = Field(description="where the report is in the process")
    status_label: str = Field(description="the status in words, in the requested language")
    public_outcome: str = Field(
        description="the decision's public reasons once the case is decided; empty until then"
    )


class MediumOut(Schema):
    """A picture, video or sound that came with a report, as those who may see the report read
    it. The file itself is the derivative: re-encoded, without any metadata."""

    id: int = Field(description="the medium's id (get_media_derivative, get_media_original)")
    kind: Literal["image", "video", "audio"] = Field(description="what the file is")
    mime: str = Field(description="the original's type, read from its bytes")
    sha256: str = Field(description="SHA-256 of the original bytes, 64 hex digits")
    status: Literal["pending", "ready", "failed"] = Field(
        description="pending (being processed), ready, or failed (see the case page)"
    )
    pdq: str | None = Field(description="a picture's PDQ hash, 64 hex digits; null otherwise")
    pdq_quality: int | None = Field(description="PDQ's quality of the picture, 0-100")
    width: int | None = Field(description="pixels across (pictures and videos)")
    height: int | None = Field(description="pixels down (pictures and videos)")
    duration_s: float | None = Field(description="seconds (videos and sounds)")
    text_in_image: str = Field(description="the words read in a picture (OCR); empty otherwise")
    derivative_url: str | None = Field(
        description="where to fetch the derivative, with the same token; null until ready"
    )

    @staticmethod
    def resolve_pdq(medium: Any) -> str | None:
        return medium.pdq or None

    @staticmethod
    def resolve_text_in_image(medium: Any) -> str:
        return str(medium.ocr_text)

    @staticmethod
    def resolve_derivative_url(medium: Any) -> str | None:
        if medium.status != "ready":
            return None
        return reverse("api:get_media_derivative", kwargs={"medium_id": medium.pk})


class ReportOut(Schema):
    """A report, as a member who may see it under TLP reads it."""

    tracking_code: str = Field(description=TRACKING_CODE)
    text: str = Field(description="what the reporter saw or was told; may be empty if url is set")
    url: str = Field(description="the reported content's address; may be empty if text is set")
    platform: Platform = Field(description="where the content was seen")
    country: str = Field(description="ISO 3166-1 alpha-2 code of the country concerned")
    language: str = Field(description="BCP 47 primary language subtag; empty when unknown")
    category: Category = Field(description="the kind of harm, as the reporter chose it")
    election: str | None = Field(description="the election's slug, when one was named")
    channel: Channel = Field(description="how the report arrived")
    tlp: TLP = Field(description="who may see the report (Traffic Light Protocol 2.0)")
    organisation: str = Field(
        description="slug of the owning organisation (the host organisation for the public's)"
    )
    status: ReportStatus = Field(description="where the report is in the process")
    has_contact: bool = Field(
        description="whether the reporter left a contact (see reveal_report_contact)"
    )
    case_id: int | None = Field(
        description="the case the report was placed in; null until placement has run"
    )
    created_at: datetime = Field(description="when the report was received")
    media: list[MediumOut] = Field(description="the pictures, videos and sounds sent with it")

    @staticmethod
    def resolve_media(report: Report) -> list[Any]:
        return list(report.media.all())

    @staticmethod
    def resolve_tracking_code(report: Report) -> str:
        return report.display_code

    @staticmethod
    def resolve_election(report: Report) -> str | None:
        return report.election.slug if report.election else None

    @staticmethod
    def resolve_organisation(report: Report) -> str:
        return report.organisation.slug

    @staticmethod
    def resolve_case_id(report: Report) -> int | None:
        link = getattr(report, "case_link", None)
        return link.case_id if link else None


class ContactOut(Schema):
    """A reporter's contact, decrypted; each reveal is audited."""

    tracking_code: str = Field(description=TRACKING_CODE)
    contact: str = Field(description="the contact the reporter left (e-mail, phone, ...)")


class RejectedRowOut(Schema):
    """A row of an import file that was not imported, and why."""

    row: int = Field(
        description="the line of the file the row is on (in a CSV, the header is line 1)"
    )
    field: str = Field(description="the field at fault, or `row` when the row as a whole is")
    message: str = Field(description="what is wrong, in words")


class ImportOut(Schema):
    """What an import did: rows created, rows already imported, rows refused."""

    created: int = Field(description="reports created by this import")
    duplicates: int = Field(description="rows skipped because they were imported before")
    rejected_count: int = Field(description="rows refused, all of them")
    rejected: list[RejectedRowOut] = Field(
        description="the refused rows with their reasons (the first 1000)"
    )
    formula_like: list[int] = Field(
        description="the imported rows (their lines, as in `rejected`) whose text begins with "
        "=, +, -, @, a tab or a carriage return, which a spreadsheet would run as a formula: "
        "the text is kept as written and marked here; Baraza's CSV files write it as text "
        "(the first 1000)"
    )
