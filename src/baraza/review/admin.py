"""Taxonomy editing for the coalition's administrators (members with the admin role).

Django's admin pages, on a site of their own whose only door is the admin role (not Django's
staff flag), and whose saves go through `do_save_term`, so each edit is audited. Entries are
retired, never deleted: old assessments keep their meaning."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from baraza.accounts.permissions import Capability, can
from baraza.review.actions import do_save_term
from baraza.review.models import Term


class CoalitionAdminSite(admin.AdminSite):
    site_header = "Baraza administration"
    site_title = "Baraza administration"
    index_title = "Taxonomies"

    def has_permission(self, request: HttpRequest) -> bool:
        return can(request.user, Capability.ADMINISTER)


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
