"""Reading fact-checks: ClaimReview JSON-LD (schema.org), or our own CSV/JSONL rows.

Everything becomes a `FactCheckIn`, validated the same way, so a bad record is one rejected row
with its reason and never stops the rest.

A ClaimReview may also name the pictures, videos or sounds it is about (`media_references`):
the `image`, `contentUrl` or `associatedMedia.contentUrl` of its `itemReviewed`, or of the
item's `appearance`s. Those are read apart from the fields (`read_media_references`), with the
same labels, so the fact-check itself is validated as before.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import date

from pydantic import BaseModel, ConfigDict, field_validator

from baraza.intake.validation import check_length, clean_language, clean_url

Record = tuple[str, "dict[str, object] | str"]  # (where, fields or what was wrong)


class FactCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    claim: str
    rating: str = ""
    url: str = ""
    author: str = ""
    published_on: date | None = None
    language: str = ""
    appearances: list[str] = []

    @field_validator("claim")
    @classmethod
    def _claim(cls, value: str) -> str:
        if not value:
            raise ValueError("a fact-check needs the claim it reviews (claimReviewed)")
        return check_length(value, 5000)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return clean_url(value) if value else ""

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return clean_language(value) if value else ""

    @field_validator("rating", "author")
    @classmethod
    def _short(cls, value: str) -> str:
        return check_length(value, 200)

    def fingerprint(self) -> str:
        basis = self.url or f"{self.author}\0{self.claim}"
        return hashlib.sha256(basis.encode()).hexdigest()


def _text(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or value.get("@id") or "")
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    return "" if value is None else str(value)


def _appearances(item: object) -> list[str]:
    if not isinstance(item, dict):
        return []
    found = item.get("appearance") or item.get("firstAppearance") or []
    found = found if isinstance(found, list) else [found]
    return [
        url
        for url in (_text(a) if not isinstance(a, dict) else str(a.get("url", "")) for a in found)
        if url
    ]


def from_claimreview(node: dict[str, object]) -> dict[str, object]:
    """The fields of one ClaimReview node (schema.org names) as a FactCheckIn's input."""
    rating = node.get("reviewRating")
    rating_text = ""
    if isinstance(rating, dict):
        rating_text = str(rating.get("alternateName") or rating.get("ratingValue") or "")
    published = str(node.get("datePublished") or "")[:10]
    language = node.get("inLanguage")
    return {
        "claim": str(node.get("claimReviewed") or ""),
        "rating": rating_text,
        "url": str(node.get("url") or ""),
        "author": _text(node.get("author")),
        "published_on": published or None,
        "language": _text(language) if language else "",
        "appearances": _appearances(node.get("itemReviewed")),
    }


def _claimreview_nodes(value: object) -> Iterator[dict[str, object]]:
    if isinstance(value, list):
        for item in value:
            yield from _claimreview_nodes(item)
    elif isinstance(value, dict):
        kind = value.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "ClaimReview" in kinds:
            yield value
        yield from _claimreview_nodes(value.get("@graph", []))


def read_jsonld(name: str, content: str) -> Iterator[Record]:
    try:
        document = json.loads(content)
    except (json.JSONDecodeError, RecursionError, ValueError) as error:
        yield name, f"is not valid JSON-LD: {error}"
        return
    nodes = list(_claimreview_nodes(document))
    if not nodes:
        yield name, "holds no ClaimReview"
    for number, node in enumerate(nodes, start=1):
        yield f"{name}#{number}", from_claimreview(node)


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _addresses(value: object) -> Iterator[str]:
    """A schema.org media value: an address, an ImageObject/MediaObject, or a list of them."""
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            yield item.strip()
        elif isinstance(item, dict):
            yield from _addresses(item.get("contentUrl") or item.get("url"))


def _media_of(thing: dict[str, object]) -> Iterator[str]:
    yield from _addresses(thing.get("image"))
    yield from _addresses(thing.get("contentUrl"))
    yield from _addresses(thing.get("associatedMedia"))


def media_references(node: dict[str, object]) -> list[str]:
    """The files a ClaimReview node says show the claim (addresses or relative paths, as
    written, each once): itemReviewed's own media, then its appearances'."""
    item = node.get("itemReviewed")
    if not isinstance(item, dict):
        return []
    things = [item, *_as_list(item.get("appearance")), *_as_list(item.get("firstAppearance"))]
    found = (ref for thing in things if isinstance(thing, dict) for ref in _media_of(thing))
    return list(dict.fromkeys(found))


def read_media_references(name: str, content: bytes) -> Iterator[tuple[str, list[str]]]:
    """(label, references) for every ClaimReview of a JSON-LD or JSONL file, labelled as
    `read_file` labels its records; nothing for other files or records that cannot be read."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    lowered = name.lower()
    if lowered.endswith((".json", ".jsonld")):
        try:
            nodes = list(_claimreview_nodes(json.loads(text)))
        except (json.JSONDecodeError, RecursionError, ValueError):
            return
        for number, node in enumerate(nodes, start=1):
            yield f"{name}#{number}", media_references(node)
    elif lowered.endswith((".jsonl", ".ndjson")):
        for number, line in enumerate(io.StringIO(text), start=1):
            try:
                value = json.loads(line) if line.strip() else None
            except (json.JSONDecodeError, RecursionError, ValueError):
                continue
            if isinstance(value, dict) and "claimReviewed" in value:
                yield f"{name}:{number}", media_references(value)


def read_jsonl(name: str, content: str) -> Iterator[Record]:
    for number, line in enumerate(io.StringIO(content), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (json.JSONDecodeError, RecursionError, ValueError):
            yield f"{name}:{number}", "is not valid JSON"
            continue
        if not isinstance(value, dict):
            yield f"{name}:{number}", "is not a JSON object"
        elif "claimReviewed" in value:
            yield f"{name}:{number}", from_claimreview(value)
        else:
            yield f"{name}:{number}", value


def read_csv(name: str, content: str) -> Iterator[Record]:
    reader = csv.DictReader(io.StringIO(content))
    try:
        for row in reader:
            fields = {k: v for k, v in row.items() if k and v not in ("", None)}
            if "appearances" in fields:
                fields["appearances"] = str(fields["appearances"]).split()
            yield f"{name}:{reader.line_num}", fields
    except csv.Error as error:
        yield f"{name}:{reader.line_num}", f"is not readable CSV: {error}"


def read_file(name: str, content: bytes) -> Iterator[Record]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield name, "is not UTF-8"
        return
    lowered = name.lower()
    if lowered.endswith((".json", ".jsonld")):
        yield from read_jsonld(name, text)
    elif lowered.endswith((".jsonl", ".ndjson")):
        yield from read_jsonl(name, text)
    elif lowered.endswith(".csv"):
        yield from read_csv(name, text)
    else:
        yield name, "is not .json/.jsonld, .jsonl or .csv"
