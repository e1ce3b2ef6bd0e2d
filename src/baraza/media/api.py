"""Media operations: the derivative and thumbnail of a medium one may see, the audited
download of an original, and the search by a file."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, UploadedFile

from baraza.accounts.auth import MemberToken
from baraza.api_errors import errors
from baraza.errors import NotFound
from baraza.media import storage
from baraza.media.actions import do_download_original
from baraza.media.models import Medium, MediumStatus
from baraza.media.responses import file_response, original_response
from baraza.media.schemas import MediaSearchOut
from baraza.media.search import search_file
from baraza.ratelimits import enforce

router = Router(tags=["media"])


def _binary(description: str) -> dict[str, object]:
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    }


def visible_medium(request: HttpRequest, medium_id: int, *, ready: bool = True) -> Medium:
    media = Medium.objects.visible_to(request.user)
    if ready:
        media = media.filter(status=MediumStatus.READY)
    medium = media.filter(pk=medium_id).first()
    if medium is None:
        raise NotFound(_("No such file, or not one you may see."))
    return medium


@router.get(
    "/media/{medium_id}/derivative",
    response=errors(401, 404),
    operation_id="get_media_derivative",
    auth=MemberToken(),
    openapi_extra=_binary("the derivative: re-encoded, without metadata (JPEG, MP4 or OGG)"),
)
def get_media_derivative(request: HttpRequest, medium_id: int) -> FileResponse:
    """The file reviewers see of a medium: re-encoded, every piece of metadata removed. 404
    while it is being processed, if it could not be, or if you may not see its report."""
    medium = visible_medium(request, medium_id)
    return file_response(storage.open_derivative(medium.sha256), medium.derivative_mime)


@router.get(
    "/media/{medium_id}/thumbnail",
    response=errors(401, 404),
    operation_id="get_media_thumbnail",
    auth=MemberToken(),
    openapi_extra=_binary("a small JPEG of a picture or of a video's frame"),
)
def get_media_thumbnail(request: HttpRequest, medium_id: int) -> FileResponse:
    """A small JPEG of a picture or a video (sounds have none: 404)."""
    medium = visible_medium(request, medium_id)
    if not medium.has_thumbnail:
        raise NotFound(_("This file has no thumbnail."))
    return file_response(storage.open_thumbnail(medium.sha256), "image/jpeg")


@router.get(
    "/media/{medium_id}/original",
    response=errors(401, 403, 404),
    operation_id="get_media_original",
    auth=MemberToken(),
    openapi_extra=_binary("the original bytes, as sent, metadata and all"),
)
def get_media_original(request: HttpRequest, medium_id: int) -> HttpResponse:
    """The original file as it was sent, with its metadata (a phone's location, its serial
    number): evidence, for the owning organisation's secretariat and admins only (403 for
    others). Every download is recorded in the audit log."""
    medium = visible_medium(request, medium_id, ready=False)
    data = do_download_original(medium, member=request.auth)  # type: ignore[attr-defined]
    return original_response(medium, data)


@router.post(
    "/media/search",
    response={200: MediaSearchOut, **errors(401, 413, 422, 429)},
    operation_id="search_media",
    auth=MemberToken(),
)
def search_media(request: HttpRequest, file: File[UploadedFile]) -> MediaSearchOut:
    """Has this picture, video or sound been seen? Send one `file` (multipart): the cases you
    may see whose reports carry media like it, and the fact-checks whose media are like it,
    each with how alike, best first. Nothing is kept. The file is checked as an upload is (413
    too large, 422 a type we do not take, damaged, or too long; both on `file`) and hashed in
    the request (PDQ, vPDQ or Chromaprint) under a time limit. Rate-limited per member (429)."""
    member = request.auth  # type: ignore[attr-defined]
    # Per member: hashing a video is real work, and many searches would map what we hold.
    enforce(request, "search_media", settings.MEDIA_SEARCH_RATE, key=f"member:{member.pk}")
    return MediaSearchOut.of(search_file(file, request.user))
