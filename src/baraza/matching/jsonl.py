"""Reading `{"id": str, "text": str, "title"?: str, "lang"?: str}` lines for `baraza match`."""

from __future__ import annotations

import json
from pathlib import Path

from baraza.matching.engine import Document


class BadInput(ValueError):
    """A line of an input file that cannot be used; the message names the file and line."""


def read_documents(path: Path) -> list[Document]:
    documents: list[Document] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                value = json.loads(line)
            except (json.JSONDecodeError, RecursionError, ValueError) as error:
                raise BadInput(f"{where}: not valid JSON ({error})") from None
            documents.append(_document(value, where, seen))
    return documents


def _document(value: object, where: str, seen: set[str]) -> Document:
    if not isinstance(value, dict):
        raise BadInput(f"{where}: each line must be a JSON object")
    unknown = set(value) - {"id", "text", "title", "lang"}
    if unknown:
        raise BadInput(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    identifier, text = value.get("id"), value.get("text")
    if not isinstance(identifier, str) or not identifier:
        raise BadInput(f"{where}: id must be a non-empty string")
    if identifier in seen:
        raise BadInput(f"{where}: id {identifier!r} appears twice")
    if not isinstance(text, str):
        raise BadInput(f"{where}: text must be a string")
    for name in ("title", "lang"):
        if not isinstance(value.get(name, ""), str):
            raise BadInput(f"{where}: {name} must be a string")
    seen.add(identifier)
    return Document(identifier, text, value.get("title", ""), value.get("lang", ""))
