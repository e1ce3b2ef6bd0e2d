"""Member log-in, with a per-address limit on attempts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baraza.ratelimits import RateLimited, enforce


class RateLimitedLoginView(LoginView):
    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            enforce(request, "login", settings.LOGIN_RATE)
            # Per account too, so guessing one password from many addresses is also slow.
            username = str(request.POST.get("username", "")).strip().lower()[:254]
            enforce(request, "login-account", settings.LOGIN_RATE, key=f"user:{username}")
        except RateLimited as error:
            context = {"form": self.get_form(), "limited": str(error)}
            return render(request, self.template_name, context, status=429)
        return super().post(request, *args, **kwargs)
