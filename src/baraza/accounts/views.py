"""Member log-in: limited per address and per account, and locked for an account after
repeated failures (accounts/lockout.py, shared with the admin's log-in)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baraza.accounts.lockout import refusal


class RateLimitedLoginView(LoginView):
    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = refusal(request)
        if refused is not None:
            context = {"form": self.get_form(), "limited": refused.message}
            response = render(request, self.template_name, context, status=429)
            response["Retry-After"] = str(refused.retry_after)
            return response
        return super().post(request, *args, **kwargs)
