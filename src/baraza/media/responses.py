"""How media files are answered, to the API and to pages alike."""

from __future__ import annotations

import mimetypes
from typing import IO

from django.http import FileResponse, HttpResponse

from baraza.media.models import Medium


def file_response(file: IO[bytes], mime: str) -> FileResponse:
    """A derivative or thumbnail: never sniffed as something else, never cached by a shared
    cache (it belongs to a report under TLP), shown in place."""
    response = FileResponse(file, content_type=mime or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def original_response(medium: Medium, data: bytes) -> HttpResponse:
    """An original: always a download (never rendered by the browser), never kept anywhere."""
    extension = mimetypes.guess_extension(medium.mime) or ".bin"
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="original-{medium.pk}{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
