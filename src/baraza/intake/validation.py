"""Field rules for reports, shared by the API, the web form and bulk import."""

from __future__ import annotations

from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from baraza.intake.models import Category, Platform
from baraza.tlp import TLP

_url_validator = URLValidator(schemes=["http", "https"])


def clean_country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(
            _("%(value)r is not an ISO 3166-1 alpha-2 country code, like KE or NG")
            % {"value": value}
        )
    return code


def clean_language(value: str) -> str:
    """BCP 47's rule: the two-letter ISO 639-1 code where one exists, else the ISO 639-3 one."""
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    found = None
    if len(primary) == 2:
        found = pycountry.languages.get(alpha_2=primary)
    elif len(primary) == 3:
        found = pycountry.languages.get(alpha_3=primary)
    if found is None:
        raise ValueError(
            _("%(value)r is not an ISO 639 language code, like sw, ha or fra") % {"value": value}
        )
    return str(getattr(found, "alpha_2", None) or found.alpha_3)


def clean_url(value: str) -> str:
    url = value.strip()
    check_length(url, settings.MAX_URL_CHARS)
    try:
        _url_validator(url)
    except DjangoValidationError:
        raise ValueError(
            _("%(url)r is not a web address starting with http:// or https://") % {"url": url[:80]}
        ) from None
    return url


def check_length(value: str, limit: int) -> str:
    if "\x00" in value:
        raise ValueError(_("This contains a NUL character, which cannot be stored."))
    if len(value) > limit:
        raise ValueError(
            _("This is longer than %(limit)d characters (it has %(length)d).")
            % {"limit": limit, "length": len(value)}
        )
    return value


class ReportIn(BaseModel):
    """A report as submitted. Unknown fields are refused, so a typo is not silently dropped.

    A plain pydantic model, not a ninja Schema: Schema's ORM-reading root validator would run
    every field validator twice."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field("", description="what you saw or were told; give a text, a url or both")
    url: str = Field("", description="the content's address, starting with http:// or https://")
    platform: Platform = Field(description="where the content was seen")
    country: str = Field(description="ISO 3166-1 alpha-2 code of the country concerned, e.g. KE")
    language: str | None = Field(
        None, description="the content's language, an ISO 639 code (sw, ha, fra); else detected"
    )
    category: Category = Field(description="the kind of harm")
    election: str | None = Field(None, description="the slug of the election concerned, if any")
    contact: str | None = Field(
        None,
        description="how to reach you (e-mail or phone); stored encrypted, revealed only to the "
        "owning organisation's secretariat and admins",
    )
    tlp: TLP | None = Field(
        None,
        description="who may see the report; amber by default, red only for a member's report",
    )

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return check_length(value, settings.MAX_TEXT_CHARS)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return clean_url(value) if value else ""

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return clean_country(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return clean_language(value) if value else None

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str | None) -> str | None:
        return check_length(value, settings.MAX_CONTACT_CHARS) if value else None

    @field_validator("election")
    @classmethod
    def _election(cls, value: str | None) -> str | None:
        return check_length(value, 64) if value else None

    @model_validator(mode="after")
    def _text_or_url(self, info: ValidationInfo) -> ReportIn:
        # A tipline message or an upload may be a picture alone: the caller says so in the
        # context, or the API's request carries the files.
        if not self.text and not self.url and not _media_sent(info.context or {}):
            raise ValueError(_("A report needs a text or a url (link), or both."))
        return self


def _media_sent(context: dict[str, Any]) -> int:
    if "media" in context:
        return int(context["media"])
    request = context.get("request")
    if request is not None and request.content_type == "multipart/form-data":
        return len(request.FILES.getlist("media"))
    return 0


class ImportRow(ReportIn):
    """A bulk-import row: a report plus an optional id of the monitor's own, used to skip rows
    already imported."""

    external_id: str | None = Field(
        None, description="the monitor's own id for the row; a row imported before is skipped"
    )

    @field_validator("external_id")
    @classmethod
    def _external_id(cls, value: str | None) -> str | None:
        return check_length(value, 120) if value else None
