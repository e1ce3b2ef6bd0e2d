from collections.abc import Callable
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views import defaults

from baraza.accountability import urls as accountability_urls
from baraza.accounts.views import RateLimitedLoginView
from baraza.api import api
from baraza.pages import refused_page
from baraza.review import urls as review_urls
from baraza.review.admin import site as coalition_admin

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", RateLimitedLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("baraza.intake.urls")),
    path("cases/", include("baraza.cases.urls")),
    path("decisions/", include(review_urls.decision_urls)),
    path("review/cases/", include(review_urls.review_urls)),
    path("referrals/", include(accountability_urls.referral_urls)),
    path("", include(accountability_urls.public_urls)),
    path("channels/", include("baraza.channels.urls")),
    path("media/", include("baraza.media.urls")),
    path("admin/", coalition_admin.urls),
]


def _json_for_api(
    html_handler: Callable[..., HttpResponse], status: int, detail: str
) -> Callable[..., HttpResponse]:
    """API clients get JSON errors even for URLs no operation matches; people get the page."""

    def handler(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail}, status=status)
        return html_handler(request, *args, **kwargs)

    return handler


handler400 = _json_for_api(defaults.bad_request, 400, "the request cannot be read")
handler403 = _json_for_api(refused_page, 403, "not allowed")
handler404 = _json_for_api(defaults.page_not_found, 404, "no such operation or object")
handler500 = _json_for_api(defaults.server_error, 500, "internal error; it has been logged")
