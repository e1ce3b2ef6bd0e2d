"""Fingerprints of "the same content": a canonical URL and a normalised text.

Deliberately conservative: two reports share a key only when they are evidently the same post or
the same words. Meaning-level grouping is the matching engine's job.
"""

from __future__ import annotations

import hashlib

from baraza.matching.normalise import canonical_url, normalised_text
from baraza.tlp import TLP

MIN_TEXT_KEY_CHARS = 12


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def content_keys(text: str, url: str, scope: str) -> list[tuple[str, str]]:
    """(kind, digest) pairs, the URL first: the same post outranks the same words.

    The scope is part of the digest, so reports group only with reports of the same audience.
    """
    keys = []
    if url:
        keys.append(("url", _digest(f"{scope}|{canonical_url(url)}")))
    words = normalised_text(text)
    if len(words) >= MIN_TEXT_KEY_CHARS:
        keys.append(("text", _digest(f"{scope}|{words}")))
    return keys


def audience_scope(tlp: str, organisation_id: int, report_id: int) -> str:
    """Who may see a report, as a grouping scope: a case never mixes audiences, so seeing a
    case (its status, category, history) never reveals a report one could not see.

    clear and green: the whole coalition; amber: the owning organisation (public submissions
    all belong to the host organisation, so the public's duplicates still group); red: the
    report alone."""
    if tlp in (TLP.CLEAR, TLP.GREEN):
        return "coalition"
    if tlp == TLP.AMBER:
        return f"amber:{organisation_id}"
    return f"red:{report_id}"
