"""Fact-check library operations: import (fact-checkers, secretariat, admins) and search."""

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, UploadedFile
from pydantic import ConfigDict, Field, field_validator

from baraza.accounts.auth import MemberToken
from baraza.accounts.permissions import Capability, require_capability
from baraza.api_errors import errors
from baraza.matching.actions import do_import_factchecks
from baraza.matching.claimreview import read_file
from baraza.matching.library import FoundFactCheck, search_factchecks
from baraza.matching.schemas import FactCheckImportOut, FoundFactCheckOut

router = Router(tags=["fact-checks"], auth=MemberToken())


class SearchQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=1, max_length=5000, description="the text to find fact-checks for")
    top: int = Field(5, ge=1, le=50, description="how many fact-checks to return at most")
    language: str = Field(
        "",
        max_length=16,
        deprecated=True,
        description="accepted for older clients and ignored: the ranking is the same in every "
        "language and needs no language hint",
    )

    @field_validator("q")
    @classmethod
    def q_says_something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("give some text to search for")
        return value


@router.get(
    "/factchecks/search",
    response={200: list[FoundFactCheckOut], **errors(401, 422)},
    operation_id="search_factchecks",
)
def search(request: HttpRequest, query: Query[SearchQuery]) -> list[FoundFactCheck]:
    """Fact-checks for a text in any language, best first, with the ranking's score (the
    cosine plus any lexical evidence) and the cosine alone. For members."""
    return search_factchecks(query.q, top_k=query.top)


@router.post(
    "/factchecks/import",
    response={200: FactCheckImportOut, **errors(401, 403, 413, 422)},
    operation_id="import_factchecks",
)
def import_factchecks(request: HttpRequest, file: File[UploadedFile]) -> FactCheckImportOut:
    """Add fact-checks: ClaimReview JSON-LD (.json/.jsonld), or .jsonl/.csv with the fields
    claim, rating, url, author, published_on, language, appearances. Known ones are skipped;
    unreadable records are listed with the reason. For reviewers, the secretariat and admins
    (403 for others)."""
    member = require_capability(
        request.auth,  # type: ignore[attr-defined]
        Capability.IMPORT_FACTCHECKS,
        "importing fact-checks is for reviewers, the secretariat and admins",
    )
    name = file.name or "upload"
    result = do_import_factchecks(
        read_file(name, file.read()),
        organisation=member.organisation,
        actor=member.user,
        source=name,
    )
    return FactCheckImportOut(
        created=result.created,
        duplicates=result.duplicates,
        rejected_count=len(result.rejected),
        rejected=[vars(r) for r in result.rejected[:1000]],  # type: ignore[misc]
    )
