"""What the SMS providers share: which alphabet a text travels in, how many segments it costs,
and shortening a reply that would cost too many.

An SMS carries 160 septets of the GSM 03.38 default alphabet, or 70 UTF-16 code units (UCS-2)
as soon as one character is outside it; a longer message travels as concatenated parts of 153
septets or 67 units each (the rest of each part holds the header that glues them back together).
Characters of the alphabet's extension table (`{}[]~\\^|€` and the form feed) are written as an
escape and a septet, so they count two; characters outside the Basic Multilingual Plane (most
emoji) are a UTF-16 surrogate pair, so they count two units. A part never ends in the middle of
either pair.

We send a long reply as ONE API call carrying the whole text, not one call per part: both
Africa's Talking and Twilio accept long bodies, split them and add the concatenation headers
themselves, so the phone shows one message. One call per reply also keeps the worker's retries
honest: `send` is retried as a whole, and a reply sent part by part that failed at its third part
would send its first two again on every retry. So what a reply costs is `segments`: the parts
the provider makes, each filled to its last unit. `split_sms` says where parts fall for a sender
that sends them one by one: it prefers to cut at a space, which can only waste room, and gives
that up when it would take more parts than the cap.

The cost is capped (`MAX_PARTS` segments): a longer reply is cut and ends with an ellipsis, and
keeps the tracking code when the cut would lose it. The ellipsis is "…" in a UCS-2 text but
"..." in a GSM-7 one, because "…" is not in the GSM alphabet and would switch the whole message
to UCS-2, more than doubling its segments.
"""

from __future__ import annotations

from typing import Final

# The GSM 03.38 default alphabet (the escape 0x1B itself is not a character one can write).
GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Its basic extension table: each is sent as the escape plus one septet.
GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")

SINGLE_GSM7: Final = 160
PART_GSM7: Final = 153
SINGLE_UCS2: Final = 70
PART_UCS2: Final = 67
# At most this many segments per reply: six GSM-7 parts hold 918 characters, six UCS-2 parts
# 402, enough for any reply the tipline writes; Twilio refuses bodies over 1,600 characters.
MAX_PARTS: Final = 6

GSM7_ELLIPSIS: Final = "..."
UCS2_ELLIPSIS: Final = "…"


def is_gsm7(text: str) -> bool:
    """Whether the text can travel in the GSM 7-bit alphabet (with its extension table)."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def _units(char: str, gsm7: bool) -> int:
    """What one character costs: septets in GSM-7, UTF-16 code units in UCS-2."""
    if gsm7:
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def _parts(text: str, *, at_spaces: bool) -> list[str]:
    """The text's parts, with nothing cut away: "".join(parts) == text. Filled to the last
    unit, as a provider splits a long body, or `at_spaces`: cut after the last space of a
    part's second half, if there is one, so that no word is broken across two parts."""
    gsm7 = is_gsm7(text)
    single, part = (SINGLE_GSM7, PART_GSM7) if gsm7 else (SINGLE_UCS2, PART_UCS2)
    if sum(_units(char, gsm7) for char in text) <= single:
        return [text] if text else []
    parts: list[str] = []
    start = 0
    while start < len(text):
        end, used = start, 0
        while end < len(text) and used + _units(text[end], gsm7) <= part:
            used += _units(text[end], gsm7)
            end += 1
        if at_spaces and end < len(text):
            space = text.rfind(" ", start + (end - start) // 2, end)
            end = space + 1 if space >= 0 else end
        parts.append(text[start:end])
        start = end
    return parts


def segments(text: str) -> int:
    """How many segments the provider sends (and bills) the text in."""
    return len(_parts(text, at_spaces=False))


def _cut(text: str, tail: str, max_parts: int) -> str:
    """The longest start of `text`, ending at a word where it can, that fits `max_parts`
    segments with `tail` written after it."""
    # Every character costs at least one unit: nothing longer than this can fit.
    end = min(len(text), max_parts * PART_GSM7)
    while end > 0:
        head = text[:end].rstrip()
        if segments(head + tail) <= max_parts:
            return head
        # Drop the last word (or, in a text without spaces, the last character).
        space = text.rfind(" ", 0, end - 1)
        end = space if space > 0 else end - 1
    return ""


def shorten(text: str, max_parts: int = MAX_PARTS, keep: str = "") -> str:
    """The text itself when it fits `max_parts` segments; else its start and an ellipsis,
    followed by `keep` (a tracking code) when the cut would lose it."""
    if segments(text) <= max_parts:
        return text
    ellipsis = GSM7_ELLIPSIS if is_gsm7(text) else UCS2_ELLIPSIS
    head = _cut(text, ellipsis, max_parts)
    if keep and keep in text and keep not in head:
        tail = f"{ellipsis} {keep}"
        head = _cut(text, tail, max_parts)
        return head + tail
    return head + ellipsis


def split_sms(text: str, max_parts: int = MAX_PARTS, keep: str = "") -> list[str]:
    """The parts an SMS travels in: the whole text when it fits one segment, else parts of at
    most 153 septets or 67 UCS-2 units, cut at a space where one falls in a part's second
    half, unless cutting at spaces would take more than `max_parts` parts where filling each
    part would not. A text that would take more than `max_parts` segments is shortened first
    (see `shorten`)."""
    text = shorten(text, max_parts, keep)
    parts = _parts(text, at_spaces=True)
    return parts if len(parts) <= max_parts else _parts(text, at_spaces=False)
