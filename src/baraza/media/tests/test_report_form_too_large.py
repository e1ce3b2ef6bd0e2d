"""A report form whose files are far over the caps is refused before it is read: the person
reads why in a page, in their language, not a JSON error."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.test.utils import override_settings

from baraza.intake.models import Report
from baraza.media.tests import files

pytestmark = pytest.mark.django_db

FORM = {"platform": "whatsapp", "country": "KE", "category": "disinformation", "text": "x y z"}


@override_settings(MAX_REQUEST_BYTES=2048, MAX_REPORT_MEDIA_BYTES=60_000, MAX_MEDIA_BYTES=60_000)
@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Your files are too large"), ("fr", "Vos fichiers sont trop volumineux")],
)
def test_the_form_answers_a_page_in_the_readers_language(
    client: Client, tmp_path: Path, language: str, words: str
) -> None:
    big = files.make_jpeg(tmp_path / "big.jpg", (1600, 1200), quality=95)
    assert big.stat().st_size > 130_000
    with big.open("rb") as handle:
        response = client.post("/", {**FORM, "media": handle}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert words in page and 'href="/"' in page
    assert not Report.objects.exists()
