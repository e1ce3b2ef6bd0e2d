"""Fingerprints of "the same content": a canonical URL and a normalised text.

Deliberately conservative: two reports share a key only when they are evidently the same post or
the same words. Meaning-level grouping is the matching engine's job.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_MOBILE_PREFIXES = ("www.", "m.", "mobile.")
_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|igshid|igsh|si|s|t|ref|ref_src|feature|mibextid)$")
_URLS = re.compile(r"https?://\S+|www\.\S+")
_HANDLES = re.compile(r"[@#]\w+")
_NOT_WORD = re.compile(r"[^\w]+")
MIN_TEXT_KEY_CHARS = 12


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    for prefix in _MOBILE_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix) :]
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, urlencode(query), ""))


def normalised_text(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _HANDLES.sub(" ", _URLS.sub(" ", folded))
    return " ".join(_NOT_WORD.sub(" ", folded).split())


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
    if tlp in ("clear", "green"):
        return "coalition"
    if tlp == "amber":
        return f"amber:{organisation_id}"
    return f"red:{report_id}"
