from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field


class FactCheckOut(Schema):
    """A published fact-check (schema.org ClaimReview), ours or a partner's."""

    id: int = Field(description="the fact-check's id in Baraza")
    claim: str = Field(description="the claim reviewed")
    rating: str = Field(
        description="the fact-checker's own rating in words (reviewRating), e.g. False"
    )
    url: str = Field(description="the fact-check article; empty when unknown")
    author: str = Field(description="the fact-checking organisation; empty when unknown")
    published_on: date | None = Field(description="when it was published, when known")
    language: str = Field(description="the claim's language (ISO 639 code); empty when unknown")


class FoundFactCheckOut(Schema):
    """A fact-check found for a text, with how well it matches."""

    factcheck: FactCheckOut = Field(description="the fact-check")
    score: float = Field(
        description="the ranking's score that orders the results: the cosine, plus up to a "
        "few hundredths when the text carries most of the fact-check's wording"
    )
    cosine: float = Field(description="cosine similarity of the text and the claim, -1 to 1")


class RejectedOut(Schema):
    """A record of an import file that was not imported, and why."""

    where: str = Field(
        description="the file and the record in it: name:line, or name#n for JSON-LD"
    )
    field: str = Field(description="the field at fault, or `file` when the record is unreadable")
    message: str = Field(description="what is wrong, in words")


class FactCheckImportOut(Schema):
    """What an import did: fact-checks created, known ones skipped, records refused."""

    created: int = Field(description="fact-checks added by this import")
    duplicates: int = Field(
        description="records skipped: a fact-check with the same url, or the same claim and "
        "author, was known"
    )
    rejected_count: int = Field(description="records refused, all of them")
    rejected: list[RejectedOut] = Field(
        description="the refused records with their reasons (the first 1000)"
    )
