"""Normalisation shared by every matching path: text keys and canonical URLs.

`canonical_url` turns the many addresses of one post into one key. Where a platform's own post
id is in the URL, the key is that id (`youtube:video:dEm0vId3o12`), so `youtu.be/…`,
`m.youtube.com/watch?v=…` and `/shorts/…` meet; any other URL is normalised (scheme, host case,
`www.`/`m.`/`mobile.` hosts, tracking parameters, fragment, trailing slash).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

_MOBILE_PREFIXES = ("www.", "m.", "mobile.", "web.", "mbasic.")
_TRACKING = re.compile(
    r"^(utm_.*|fbclid|gclid|dclid|msclkid|igshid|igsh|si|s|t|ref|ref_src|ref_url|feature|"
    r"mibextid|rdid|share_url|_rdr|__cft__.*|__tn__|is_from_webapp|sender_device|_t|_r)$"
)
_URLS = re.compile(r"https?://\S+|www\.\S+")
_HANDLES = re.compile(r"[@#]\w+")
_NOT_WORD = re.compile(r"[^\w]+")


def without_markup(text: str) -> str:
    """The text without links, @handles and #tags."""
    return _HANDLES.sub(" ", _URLS.sub(" ", text))


def normalised_text(text: str) -> str:
    """Unicode NFKC, case-folded, without links, @handles, #tags, emoji or punctuation."""
    folded = without_markup(unicodedata.normalize("NFKC", text).casefold())
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def _host(netloc_host: str) -> str:
    host = netloc_host.lower().rstrip(".")
    for prefix in _MOBILE_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _x(host: str, parts: list[str], query: dict[str, list[str]]) -> str | None:
    if host not in {"x.com", "twitter.com", "fxtwitter.com", "vxtwitter.com", "fixupx.com"}:
        return None
    if "status" in parts:
        index = parts.index("status")
        if index + 1 < len(parts) and parts[index + 1].isdigit():
            return f"x:status:{parts[index + 1]}"
    return None


def _facebook(host: str, parts: list[str], query: dict[str, list[str]]) -> str | None:
    if host == "fb.watch" and parts:
        return f"facebook:fbwatch:{parts[0]}"
    if host not in {"facebook.com", "fb.com"}:
        return None
    if query.get("story_fbid"):
        return f"facebook:post:{query['story_fbid'][0]}"
    if parts[:1] == ["watch"] and query.get("v"):
        return f"facebook:video:{query['v'][0]}"
    for marker, kind in (
        ("posts", "post"),
        ("videos", "video"),
        ("reel", "video"),
        ("photos", "photo"),
        ("permalink", "post"),
    ):
        if marker in parts:
            index = parts.index(marker)
            if index + 1 < len(parts):
                return f"facebook:{kind}:{parts[-1]}"
    if parts[:1] == ["photo"] and query.get("fbid"):
        return f"facebook:photo:{query['fbid'][0]}"
    return None


def _youtube(host: str, parts: list[str], query: dict[str, list[str]]) -> str | None:
    if host == "youtu.be" and parts:
        return f"youtube:video:{parts[0]}"
    if host not in {"youtube.com", "music.youtube.com", "youtube-nocookie.com"}:
        return None
    if parts[:1] == ["watch"] and query.get("v"):
        return f"youtube:video:{query['v'][0]}"
    if len(parts) >= 2 and parts[0] in {"shorts", "embed", "live", "v"}:
        return f"youtube:video:{parts[1]}"
    return None


def _tiktok(host: str, parts: list[str], query: dict[str, list[str]]) -> str | None:
    if host in {"vm.tiktok.com", "vt.tiktok.com"} and parts:
        return f"tiktok:short:{parts[0]}"
    if host != "tiktok.com":
        return None
    if "video" in parts or "photo" in parts:
        marker = "video" if "video" in parts else "photo"
        index = parts.index(marker)
        if index + 1 < len(parts):
            return f"tiktok:video:{parts[index + 1]}"
    if parts[:1] == ["v"] and len(parts) > 1:
        return f"tiktok:video:{parts[1].removesuffix('.html')}"
    return None


def _instagram(host: str, parts: list[str], query: dict[str, list[str]]) -> str | None:
    if host not in {"instagram.com", "instagr.am"}:
        return None
    for index, part in enumerate(parts):
        if part in {"p", "reel", "reels", "tv"} and index + 1 < len(parts):
            return f"instagram:post:{parts[index + 1]}"  # shortcodes are case-sensitive
    return None


def _telegram(host: str, parts: list[str], query: dict[str, list[str]]) -> str | None:
    if host not in {"t.me", "telegram.me", "telegram.dog"}:
        return None
    if parts[:1] == ["s"]:
        parts = parts[1:]
    if len(parts) >= 2 and parts[1].isdigit():
        return f"telegram:{parts[0].lower()}/{parts[1]}"
    return None


def _whatsapp(host: str, parts: list[str], query: dict[str, list[str]]) -> str | None:
    if host == "whatsapp.com" and len(parts) >= 2 and parts[0] == "channel":
        suffix = f"/{parts[2]}" if len(parts) > 2 else ""
        return f"whatsapp:channel:{parts[1]}{suffix}"
    if host == "chat.whatsapp.com" and parts:
        return f"whatsapp:group:{parts[0]}"
    return None


PLATFORM_RULES: tuple[Callable[[str, list[str], dict[str, list[str]]], str | None], ...] = (
    _x,
    _facebook,
    _youtube,
    _tiktok,
    _instagram,
    _telegram,
    _whatsapp,
)


def canonical_url(url: str) -> str:
    """One key for every address of the same post; a normalised URL for anything else."""
    raw = url.strip()
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        hostname = parts.hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket: no structure to normalise
        return raw.casefold()
    host = _host(hostname)
    query = parse_qs(parts.query)
    segments = _segments(parts.path)
    for rule in PLATFORM_RULES:
        key = rule(host, segments, query)
        if key:
            return key
    kept = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, urlencode(kept), ""))
