"""Fact-check library operations: import (fact-checkers, secretariat, admins) and search."""

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from baraza.accounts.auth import MemberToken
from baraza.accounts.models import Member, Role
from baraza.matching.actions import do_import_factchecks
from baraza.matching.claimreview import read_file
from baraza.matching.library import FoundFactCheck, search_factchecks
from baraza.matching.schemas import FactCheckImportOut, FoundFactCheckOut

router = Router(tags=["fact-checks"], auth=MemberToken())
IMPORTING_ROLES = {Role.REVIEWER, Role.SECRETARIAT, Role.ADMIN}


class SearchQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=1, max_length=5000)
    top: int = Field(5, ge=1, le=50)
    language: str = Field("", max_length=16)


@router.get(
    "/factchecks/search", response=list[FoundFactCheckOut], operation_id="search_factchecks"
)
def search(request: HttpRequest, query: Query[SearchQuery]) -> list[FoundFactCheck]:
    """Fact-checks for a text in any language, best first, with the fused score and cosine."""
    if not query.q.strip():
        raise HttpError(422, "q: give some text to search for")
    return search_factchecks(query.q, top_k=query.top, language=query.language)


@router.post("/factchecks/import", response=FactCheckImportOut, operation_id="import_factchecks")
def import_factchecks(request: HttpRequest, file: File[UploadedFile]) -> FactCheckImportOut:
    """Add fact-checks: ClaimReview JSON-LD (.json/.jsonld), or .jsonl/.csv with the fields
    claim, rating, url, author, published_on, language, appearances. Known ones are skipped."""
    member: Member = request.auth  # type: ignore[attr-defined]
    if member.role not in IMPORTING_ROLES:
        raise HttpError(403, "importing fact-checks is for reviewers, the secretariat and admins")
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
