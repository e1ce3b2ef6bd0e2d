"""Taxonomy editing for the coalition's administrators (members with the admin role).

Django's admin pages, on a site of their own whose only door is the admin role (not Django's
staff flag), and whose saves go through `do_save_term`, so each edit is audited. Entries are
retired, never deleted: old assessments keep their meaning."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from baraza.accounts.lockout import refusal
from baraza.accounts.permissions import Capability, can
from baraza.review.actions import do_save_term
from baraza.review.models import Term

# The admin's own scripts, served from /static/admin.
ADMIN_SCRIPTS = {"script-src": [SELF]}


class CoalitionAuthenticationForm(AdminAuthenticationForm):
    """The admin's log-in lets in whom its pages let in (the admin role), not Django's staff
    flag, which no Baraza account carries."""

    def confirm_login_allowed(self, user: Any) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)
        if not can(user, Capability.ADMINISTER):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class _RefusedLogIn(CoalitionAuthenticationForm):
    """An empty log-in form that says why the attempt was not tried (the admin's template shows
    a form's non-field errors); it never authenticates anyone."""

    def __init__(self, request: HttpRequest, refusal: str) -> None:
        super().__init__(request)
        self.refusal = refusal

    def non_field_errors(self) -> Any:
        return self.error_class([self.refusal])


class CoalitionAdminSite(admin.AdminSite):
    site_header = "Baraza administration"
    site_title = "Baraza administration"
    index_title = "Taxonomies"
    login_form = CoalitionAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return can(request.user, Capability.ADMINISTER)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        """Django's admin pages run its own scripts from /static/admin; Baraza's pages run none
        (the site-wide policy says `script-src 'none'`)."""
        return csp_replace(ADMIN_SCRIPTS)(super().admin_view(view, cacheable))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        @csp_replace(ADMIN_SCRIPTS)
        def gated(request: HttpRequest) -> HttpResponseBase:
            return self._gated_login(request, extra_context)

        return gated(request)

    def _gated_login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None
    ) -> HttpResponse:
        """The admin's log-in keeps the same limits and lock as the site's (accounts/lockout.py),
        answering 429 with Retry-After on its own page."""
        refused = refusal(request) if request.method == "POST" else None
        if refused is None:
            return super().login(request, extra_context)
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "app_path": request.get_full_path(),
            "form": _RefusedLogIn(request, refused.message),
        }
        response = TemplateResponse(request, "admin/login.html", context, status=429)
        response["Retry-After"] = str(refused.retry_after)
        return response


site = CoalitionAdminSite(name="coalition-admin")


class TermAdmin(admin.ModelAdmin):
    list_display = ("scheme", "code", "label", "parent", "active")
    list_filter = ("scheme", "active")
    search_fields = ("code", "label")
    ordering = ("scheme", "position", "code")
    raw_id_fields = ("parent",)

    def _allowed(self, request: HttpRequest) -> bool:
        return site.has_permission(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Term, form: ModelForm[Any], change: bool
    ) -> None:
        do_save_term(obj, actor=request.user, changed=list(form.changed_data))  # type: ignore[arg-type]


site.register(Term, TermAdmin)
