"""Country names for the public form, in the reader's language (pycountry ships translations)."""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry


def _sort_key(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


@cache
def country_choices(language: str) -> tuple[tuple[str, str], ...]:
    names: gettext.NullTranslations
    try:
        names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except FileNotFoundError:
        names = gettext.NullTranslations()
    countries = [(c.alpha_2, names.gettext(c.name)) for c in pycountry.countries]
    return tuple(sorted(countries, key=lambda pair: _sort_key(pair[1])))
