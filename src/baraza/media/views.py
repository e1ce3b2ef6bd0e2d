"""Media for pages: derivatives and thumbnails by session, the audited original download, and a
member's choice to see pictures unblurred."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baraza.media import storage
from baraza.media.actions import do_download_original, do_set_viewing
from baraza.media.api import visible_medium
from baraza.media.responses import file_response, original_response
from baraza.pages import require_member


@login_required
@require_GET
def derivative(request: HttpRequest, medium_id: int) -> FileResponse:
    medium = visible_medium(request, medium_id)
    return file_response(storage.open_derivative(medium.sha256), medium.derivative_mime)


@login_required
@require_GET
def thumbnail(request: HttpRequest, medium_id: int) -> FileResponse:
    medium = visible_medium(request, medium_id)
    if not medium.has_thumbnail:
        raise Http404
    return file_response(storage.open_thumbnail(medium.sha256), "image/jpeg")


@login_required
@require_POST
def original(request: HttpRequest, medium_id: int) -> HttpResponse:
    """A POST (with the CSRF token), so no link, prefetch or crawler downloads an original."""
    member = require_member(request)
    medium = visible_medium(request, medium_id, ready=False)
    return original_response(medium, do_download_original(medium, member=member))


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return "/cases/"


@login_required
@require_POST
def viewing(request: HttpRequest) -> HttpResponseRedirect:
    member = require_member(request)
    show = request.POST.get("show_unblurred") == "on"
    do_set_viewing(member, show_unblurred=show)
    messages.success(
        request,
        _("Pictures and videos are now shown at once.")
        if show
        else _("Pictures and videos are now blurred until you choose to see them."),
    )
    return HttpResponseRedirect(_back(request))
