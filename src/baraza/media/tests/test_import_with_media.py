"""import_reports with a zip: one CSV or JSONL file and the media its rows name. Rows with bad
files are rejected one by one; a zip that is dangerous as a whole is refused before anything is
inflated."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from baraza.conftest import People, Person
from baraza.intake.models import Report
from baraza.media.models import Medium
from baraza.media.tests import files
from baraza.testing import field_errors

pytestmark = pytest.mark.django_db

URL = "/api/reports/import"
CSV = (
    "external_id,text,platform,country,category,media\n"
    "m-1,Burned ballots behind the tallying centre,whatsapp,KE,election_integrity,one.jpg\n"
    "m-2,A crowd paid to attend,facebook,KE,disinformation,pics/two.png\n"
    "m-3,The chair's photo with the opposition,x,KE,disinformation,missing.jpg\n"
    "m-4,A leaked results form,telegram,KE,disinformation,broken.jpg\n"
    "m-5,No picture with this one,x,KE,other,\n"
)


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def upload(client: Client, person: Person, data: bytes, name: str = "export.zip") -> Any:
    file = SimpleUploadedFile(name, data, content_type="application/zip")
    return client.post(URL, {"file": file}, headers=person.auth)


def picture(tmp_path: Path, name: str, seed: int) -> bytes:
    maker = files.make_png if name.endswith(".png") else files.make_jpeg
    return maker(tmp_path / f"{seed}-{Path(name).name}", seed=seed).read_bytes()


@pytest.fixture
def export(tmp_path: Path) -> bytes:
    good = picture(tmp_path, "one.jpg", 1)
    return zipped(
        {
            "reports.csv": CSV.encode(),
            "one.jpg": good,
            "pics/two.png": picture(tmp_path, "two.png", 2),
            "broken.jpg": good[: len(good) // 3],
        }
    )


def test_rows_with_pictures_are_imported_with_them_and_bad_files_reject_their_rows(
    client: Client, people: People, export: bytes
) -> None:
    response = upload(client, people.amina, export)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["rejected_count"]) == (3, 2)
    rejected = {(r["row"], r["field"]): r["message"] for r in body["rejected"]}
    assert set(rejected) == {(4, "media"), (5, "media")}
    assert "missing.jpg" in rejected[(4, "media")]
    assert "broken.jpg" in rejected[(5, "media")]
    counts = dict(Report.objects.values_list("text", "media_count"))
    assert counts == {
        "Burned ballots behind the tallying centre": 1,
        "A crowd paid to attend": 1,
        "No picture with this one": 0,
    }
    kinds = dict(Medium.objects.values_list("report__text", "mime"))
    assert kinds == {
        "Burned ballots behind the tallying centre": "image/jpeg",
        "A crowd paid to attend": "image/png",
    }


def test_the_imported_pictures_are_processed_and_follow_their_reports_audience(
    client: Client, people: People, export: bytes, placed: Callable[[], AbstractContextManager[Any]]
) -> None:
    with placed():  # processing and placement run after the batch commits
        upload(client, people.amina, export)
    medium = Medium.objects.filter(report__isnull=False).first()
    assert medium is not None and medium.status == "ready" and len(medium.pdq) == 64
    path = f"/api/media/{medium.pk}/derivative"
    assert client.get(path, headers=people.alice.auth).status_code == 200
    assert client.get(path, headers=people.bob.auth).status_code == 404


def test_importing_the_same_zip_twice_adds_no_reports_and_no_media(
    client: Client, people: People, export: bytes
) -> None:
    upload(client, people.amina, export)
    again = upload(client, people.amina, export).json()
    assert (again["created"], again["duplicates"]) == (0, 3)
    assert Medium.objects.count() == 2


def test_jsonl_rows_name_their_files_in_a_list_and_may_be_a_picture_alone(
    client: Client, people: People, tmp_path: Path
) -> None:
    base = {"platform": "whatsapp", "country": "KE", "category": "disinformation"}
    lines = [
        {**base, "media": ["a.jpg", "b.jpg"]},
        {**base, "text": "Same words, another picture", "media": ["b.jpg"]},
        {**base, "text": "Same words, another picture", "media": ["c.jpg"]},
        {**base, "text": "A name that is not a list", "media": {"file": "a.jpg"}},
    ]
    data = zipped(
        {
            "export/rows.jsonl": "\n".join(json.dumps(line) for line in lines).encode(),
            "export/a.jpg": picture(tmp_path, "a.jpg", 3),
            "export/b.jpg": picture(tmp_path, "b.jpg", 4),
            "c.jpg": picture(tmp_path, "c.jpg", 5),
        }
    )
    body = upload(client, people.amina, data).json()
    assert body["created"] == 3
    assert [(r["row"], r["field"]) for r in body["rejected"]] == [(4, "media")]
    assert sorted(Report.objects.values_list("media_count", flat=True)) == [1, 1, 2]


def test_a_plain_csv_naming_files_rejects_those_rows(client: Client, people: People) -> None:
    file = SimpleUploadedFile("reports.csv", CSV.encode(), content_type="text/csv")
    body = client.post(URL, {"file": file}, headers=people.amina.auth).json()
    assert body["created"] == 1
    assert {(r["row"], r["field"]) for r in body["rejected"]} == {
        (row, "media") for row in (2, 3, 4, 5)
    }


def test_a_file_over_the_media_cap_rejects_its_row_and_is_not_read_past_it(
    client: Client, people: People, export: bytes, settings: Any
) -> None:
    settings.MAX_MEDIA_BYTES = 4096
    body = upload(client, people.amina, export).json()
    assert body["created"] == 1
    messages = {r["row"]: r["message"] for r in body["rejected"]}
    assert "one.jpg" in messages[2] and "MB" in messages[2]


def zip_of_zeros(megabytes: int) -> bytes:
    out = io.BytesIO()
    block = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("reports.csv", CSV.encode())
        with archive.open("zeros.jpg", "w") as member:
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


def test_a_zip_bomb_is_refused_at_once_without_inflating_it(client: Client, people: People) -> None:
    bomb = zip_of_zeros(200)
    assert len(bomb) < 1024 * 1024
    upload(client, people.amina, zipped({"../x.csv": b""}))  # loads the code before measuring
    started = time.monotonic()
    response = upload(client, people.amina, bomb)
    elapsed = time.monotonic() - started
    tracemalloc.start()
    upload(client, people.amina, bomb)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "MB uncompressed" in field_errors(response)["file"]
    assert elapsed < 5 and peak < 32 * 1024 * 1024
    assert not Report.objects.exists()


def test_a_zip_that_expands_too_much_is_refused_even_under_the_size_cap(
    client: Client, people: People
) -> None:
    response = upload(client, people.amina, zip_of_zeros(20))
    assert "zip bomb" in field_errors(response)["file"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("name", ["../one.jpg", "/etc/one.jpg", "pics/../../one.jpg", "C:/one.jpg"])
def test_a_zip_with_an_absolute_or_climbing_name_is_refused(
    client: Client, people: People, tmp_path: Path, name: str
) -> None:
    data = zipped({"reports.csv": CSV.encode(), name: picture(tmp_path, "one.jpg", 1)})
    response = upload(client, people.amina, data)
    assert ".." in field_errors(response)["file"]
    assert not Report.objects.exists()


def test_a_zip_without_exactly_one_data_file_is_refused(
    client: Client, people: People, tmp_path: Path
) -> None:
    two = zipped({"a.csv": CSV.encode(), "b.jsonl": b"{}"})
    none = zipped({"one.jpg": picture(tmp_path, "one.jpg", 1)})
    assert "one CSV or JSONL" in field_errors(upload(client, people.amina, two))["file"]
    assert "one CSV or JSONL" in field_errors(upload(client, people.amina, none))["file"]


def test_a_file_named_zip_that_is_not_one_is_a_422(client: Client, people: People) -> None:
    response = upload(client, people.amina, b"external_id,text\n1,a\n")
    assert "zip" in field_errors(response)["file"]


def test_a_reviewer_may_not_import_a_zip_and_anonymous_people_get_a_401(
    client: Client, people: People, export: bytes
) -> None:
    assert upload(client, people.alice, export).status_code == 403
    file = SimpleUploadedFile("export.zip", export)
    assert client.post(URL, {"file": file}).status_code == 401
    assert not Report.objects.exists()


def test_rows_naming_one_file_again_and_again_stop_at_the_imports_read_budget(
    client: Client, people: People, tmp_path: Path, settings: Any
) -> None:
    settings.MAX_IMPORT_BYTES = 100_000  # the zip may hold 500 kB; an import reads at most 1 MB
    photo = picture(tmp_path, "same.jpg", 3)
    assert 40_000 < len(photo) < 90_000
    rows = "".join(
        f"r-{n},Row {n} names the same photo,x,KE,other,same.jpg|same.jpg\n" for n in range(30)
    )
    data = zipped(
        {"reports.csv": (CSV.splitlines(keepends=True)[0] + rows).encode(), "same.jpg": photo}
    )
    body = upload(client, people.amina, data).json()
    read_rows = body["created"] + body["rejected_count"]
    assert read_rows == 30
    assert 0 < body["created"] < 30  # the first rows, until the budget ran out
    assert any("split the file" in r["message"] for r in body["rejected"])
