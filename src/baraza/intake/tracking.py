"""Tracking codes: unguessable, and short enough to read over the phone.

Twelve symbols of Crockford's base32 (no I, L, O or U, so nothing reads as another symbol)
give 60 random bits, shown in three groups of four: ``K7QM-3XHP-9TWD``. Reading one back is
forgiving: case, spaces, dashes and the look-alikes O/I/L are all accepted.
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext as _

from baraza.errors import InvalidField

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class InvalidTrackingCode(InvalidField):
    """Not a tracking code (422 on the field that carried it)."""


def new_code() -> str:
    bits = secrets.randbits(5 * LENGTH)  # one draw from the OS, five bits per symbol
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(LENGTH))


def normalise(code: str, *, field: str = "tracking_code", location: str = "body") -> str:
    """The stored form of a code as a person typed it; raises InvalidTrackingCode on `field`."""
    cleaned = code.upper().replace("-", "").replace(" ", "").translate(_LOOKALIKES)
    if len(cleaned) != LENGTH or any(symbol not in ALPHABET for symbol in cleaned):
        raise InvalidTrackingCode(
            field,
            _("A tracking code has %(length)d letters and digits, like K7QM-3XHP-9TWD.")
            % {"length": LENGTH},
            location=location,
        )
    return cleaned


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
