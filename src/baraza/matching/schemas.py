from __future__ import annotations

from datetime import date

from ninja import Schema


class FactCheckOut(Schema):
    id: int
    claim: str
    rating: str
    url: str
    author: str
    published_on: date | None
    language: str


class FoundFactCheckOut(Schema):
    factcheck: FactCheckOut
    score: float
    cosine: float


class RejectedOut(Schema):
    where: str
    field: str
    message: str


class FactCheckImportOut(Schema):
    created: int
    duplicates: int
    rejected_count: int
    rejected: list[RejectedOut]
