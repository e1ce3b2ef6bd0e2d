"""Accountability forms for the web pages: the same checks as the API, then the same actions."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from baraza.accountability.actions import RECIPIENT_KINDS
from baraza.accountability.models import (
    DecisionAccount,
    DecisionVisibility,
    RequestedAction,
    ResponseKind,
)
from baraza.accounts.models import Organisation

MAX_EVIDENCE = 20


class PeriodForm(forms.Form):
    election = forms.SlugField(label=_("Election"), max_length=64, required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("To"), required=False)


def _recipients() -> list[tuple[str, str]]:
    recipients = Organisation.objects.filter(kind__in=RECIPIENT_KINDS).order_by("name")
    return [(org.slug, f"{org.name} ({org.get_kind_display()})") for org in recipients]


class ReferForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Recipient"))
    requested_action = forms.ChoiceField(
        label=_("Requested action"), choices=RequestedAction.choices
    )
    evidence = forms.CharField(
        label=_("Evidence links (one per line)"), required=False, widget=forms.Textarea
    )
    note = forms.CharField(
        label=_("Note to the recipient"), required=False, max_length=5000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].choices = _recipients()  # type: ignore[attr-defined]

    def clean_evidence(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["evidence"].splitlines()]
        links = [link for link in links if link]
        if len(links) > MAX_EVIDENCE:
            raise ValidationError(_("At most %(n)d links.") % {"n": MAX_EVIDENCE})
        check = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                check(link)
            except ValidationError:
                raise ValidationError(_("Not a web address: %(link)s") % {"link": link}) from None
        return links


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Response"), choices=ResponseKind.choices)
    decision_visibility = forms.ChoiceField(
        label=_("What was done to the content"),
        required=False,
        choices=[("", "—"), *DecisionVisibility.choices],
    )
    decision_account = forms.ChoiceField(
        label=_("What was done to the account"),
        required=False,
        choices=[("", "—"), *DecisionAccount.choices],
    )
    reason = forms.CharField(
        label=_("Reason (required when declining)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea,
    )
    responded_at = forms.DateTimeField(
        label=_("When the recipient answered"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    zone = forms.CharField(
        label=_("Time zone of that time (e.g. Africa/Nairobi, Europe/Dublin, UTC)"),
        max_length=64,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        when, zone = data.get("responded_at"), data.get("zone")
        if when is None or not zone:
            return data
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            self.add_error("zone", _("Unknown time zone %(zone)s.") % {"zone": zone})
            return data
        # The clock time as the recipient gave it, in their zone (DST included).
        data["responded_at"] = when.replace(tzinfo=None).replace(tzinfo=tz)
        return data
