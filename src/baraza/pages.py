"""What HTML views share: the one mapping of the error vocabulary (baraza/errors.py) to pages.

`Refused` and `NotFound` are Django's `PermissionDenied` and `Http404`: a view lets them pass and
Django answers with `refused_page` (below, wired as `handler403`) or its 404 page. A conflict or an
invalid field comes back to the page the person was on, as a message (`action_failed`), or on
the form, next to its field (`add_to_form`).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic_core import ErrorDetails

from baraza.accounts.models import Member
from baraza.accounts.permissions import acting_member
from baraza.errors import ActionError, NotFound, Refused

# Plain words, in the reader's language, for the validation library's own error types (the
# pages' schemas are the API's, whose messages are English); our validators' arrive written.
PLAIN_ERRORS = {
    "missing": gettext_lazy("Please fill in this field."),
    "enum": gettext_lazy("Please choose one of the options in the list."),
    "string_type": gettext_lazy("Please enter text."),
    "extra_forbidden": gettext_lazy("This field is not part of the form."),
    "string_too_long": gettext_lazy("At most %(max_length)s characters, please."),
    "string_too_short": gettext_lazy("At least %(min_length)s characters, please."),
    "too_long": gettext_lazy("At most %(max_length)s, please."),
    "too_short": gettext_lazy("At least %(min_length)s, please."),
    "greater_than_equal": gettext_lazy("At least %(ge)s, please."),
    "less_than_equal": gettext_lazy("At most %(le)s, please."),
}


def validation_message(problem: ErrorDetails) -> str:
    """A pydantic problem in the reader's words: a list item's problem names the item."""
    plain = PLAIN_ERRORS.get(problem["type"])
    if plain is not None:
        message = str(plain) % dict(problem.get("ctx") or {})
    else:
        message = problem["msg"].removeprefix("Value error, ")
    if len(problem["loc"]) > 1 and isinstance(problem.get("input"), str):
        return f"{problem['input'][:80]}: {message}"
    return message


def require_member(request: HttpRequest) -> Member:
    member = acting_member(request.user)
    if member is None:
        raise Refused(_("Only members of a coalition organisation can see this page."))
    return member


def refused_page(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception is not None else ""
    return render(request, "cases/not_a_member.html", {"reason": reason}, status=403)


def action_failed(request: HttpRequest, error: ActionError, back: str) -> HttpResponse:
    """After a POST: refusals and unknown objects go to Django's handlers; anything else is
    shown as a message on the page at `back` (a URL)."""
    if isinstance(error, Refused | NotFound):
        raise error
    messages.error(request, error.message)
    return redirect(back)


def add_to_form(form: forms.Form, error: ActionError) -> None:
    """Show an action's error on the form: next to its field when the form has one."""
    if isinstance(error, Refused | NotFound):
        raise error
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
