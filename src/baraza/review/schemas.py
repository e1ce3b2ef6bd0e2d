from __future__ import annotations

from ninja import Schema

from baraza.review.models import Term


class TermOut(Schema):
    scheme: str
    code: str
    label: str
    definition: str
    parent: str | None
    active: bool
    source: str

    @staticmethod
    def resolve_parent(term: Term) -> str | None:
        return term.parent.code if term.parent else None
