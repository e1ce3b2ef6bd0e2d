"""What `search_media` answers: the cases one may see and the fact-checks with media like the
file sent, each with how alike."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from baraza.media.models import Kind
from baraza.media.search import CaseFound, FactCheckFound, Found

SCORE = (
    "how alike, from 0 to 1 (1: the same): 1 - distance/256 for pictures, the share of frames "
    "(videos) or of the sound (audio) found alike otherwise"
)
DISTANCE = "PDQ bits that differ (pictures; 0-256, lower is nearer); null for videos and sounds"
STRONG = (
    "alike enough to be the same content by itself (the thresholds placement uses); false for "
    "a possible match a person should look at"
)


class MediaSearchCaseOut(Schema):
    """A case you may see, with reports whose picture, video or sound is like the file."""

    case_id: int = Field(description="the case (get_case)")
    score: float = Field(description=SCORE)
    distance: int | None = Field(description=DISTANCE)
    strong: bool = Field(description=STRONG)
    reports: int = Field(
        description="the case's reports, among those you may see, whose media are like the file"
    )

    @staticmethod
    def of(found: CaseFound) -> MediaSearchCaseOut:
        return MediaSearchCaseOut(
            case_id=found.case_id,
            score=found.score,
            distance=found.distance,
            strong=found.strong,
            reports=found.reports,
        )


class MediaSearchFactCheckOut(Schema):
    """A fact-check whose media (the known-media bank) are like the file."""

    id: int = Field(description="the fact-check's id in the library")
    claim: str = Field(description="the claim it reviewed (claimReviewed)")
    rating: str = Field(description="its verdict as published (reviewRating), may be empty")
    url: str = Field(description="the fact-check article, may be empty")
    score: float = Field(description=SCORE)
    distance: int | None = Field(description=DISTANCE)
    strong: bool = Field(description=STRONG)

    @staticmethod
    def of(found: FactCheckFound) -> MediaSearchFactCheckOut:
        factcheck = found.factcheck
        return MediaSearchFactCheckOut(
            id=factcheck.pk,
            claim=factcheck.claim,
            rating=factcheck.rating,
            url=factcheck.url,
            score=found.score,
            distance=found.distance,
            strong=found.strong,
        )


class MediaSearchOut(Schema):
    """What the file is, and where it has been seen: nothing about the file is kept."""

    kind: Kind = Field(description="what the file is, read from its bytes")
    sha256: str = Field(description="SHA-256 of the file's bytes, 64 hex digits")
    pdq: str | None = Field(description="a picture's PDQ hash, 64 hex digits; null otherwise")
    cases: list[MediaSearchCaseOut] = Field(
        description="cases you may see with media like the file, best first"
    )
    factchecks: list[MediaSearchFactCheckOut] = Field(
        description="fact-checks with media like the file, best first"
    )

    @staticmethod
    def of(found: Found) -> MediaSearchOut:
        return MediaSearchOut(
            kind=Kind(found.hashes.kind),
            sha256=found.hashes.sha256,
            pdq=found.hashes.pdq or None,
            cases=[MediaSearchCaseOut.of(case) for case in found.cases],
            factchecks=[MediaSearchFactCheckOut.of(item) for item in found.factchecks],
        )
