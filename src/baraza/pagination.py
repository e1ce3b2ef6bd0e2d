"""The API's one paginator: ninja's limit/offset, with bounds that keep numbers in range."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import ConfigDict

MAX_OFFSET = 10_000_000  # far past any real list; keeps the database's integers in range


def _describe_page(schema: dict[str, Any]) -> None:
    # ninja builds each page's schema by re-declaring `items` with the item type, which drops
    # a Field's description; this hook runs on every such subclass and puts it back.
    properties = schema.get("properties", {})
    properties.get("items", {}).setdefault("description", "this page's items, in list order")
    properties.get("count", {}).setdefault(
        "description", "how many items the whole list has, across all pages"
    )


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            le=settings.NINJA_PAGINATION_MAX_LIMIT,
            description="how many items to return at most",
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="how many items to skip first")

    class Output(Schema):
        """One page of a list: `items` from `offset`, and `count`, the length of the whole list."""

        model_config = ConfigDict(json_schema_extra=_describe_page)

        items: list[Any]
        count: int
