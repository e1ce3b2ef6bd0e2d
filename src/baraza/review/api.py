"""Review operations. This first part: the taxonomies reviewers choose from."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import ConfigDict

from baraza.accounts.auth import MemberToken
from baraza.review.models import Scheme, Term, TermQuerySet
from baraza.review.schemas import TermOut

router = Router(tags=["review"], auth=MemberToken())


class TaxonomyFilters(Schema):
    model_config = ConfigDict(extra="forbid")

    scheme: Scheme | None = None
    include_retired: bool = False


@router.get("/taxonomy", response=list[TermOut], operation_id="list_taxonomy")
def list_taxonomy(request: HttpRequest, filters: Query[TaxonomyFilters]) -> TermQuerySet:
    """Harm categories, verdicts, severities (with definitions), DISARM tactics and techniques,
    and DSA statement-of-reasons categories; one scheme with `scheme`. For members."""
    terms = Term.objects.select_related("parent")
    if not filters.include_retired:
        terms = terms.active()
    if filters.scheme:
        terms = terms.filter(scheme=filters.scheme)
    return terms
