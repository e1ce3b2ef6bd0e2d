"""The API refuses bodies of the types a browser sends cross-site without asking (415), and
answers JSON, never an HTML page, to a body it cannot parse."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from baraza.content_types import declared_types
from baraza.intake.models import Report

pytestmark = pytest.mark.django_db

REPORT = {
    "text": "Polling stations in Kisumu close at 2pm on voting day.",
    "platform": "whatsapp",
    "country": "KE",
    "category": "voter_suppression",
}


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_report_sent_as_another_type_than_json_is_refused_unread(
    client: Client, content_type: str
) -> None:
    response = client.post("/api/reports", json.dumps(REPORT), content_type=content_type)
    assert response.status_code == 415
    assert response.json()["field"] == "Content-Type"
    assert not Report.objects.exists()


def test_json_and_json_suffixed_types_are_read(client: Client) -> None:
    plain = client.post("/api/reports", REPORT, content_type="application/json")
    suffixed = client.post(
        "/api/reports", json.dumps(REPORT), content_type="application/vnd.baraza+json"
    )
    assert (plain.status_code, suffixed.status_code) == (201, 201)


def test_an_operation_without_files_refuses_multipart(client: Client, people: Any) -> None:
    response = client.post(
        "/api/research/keys", {"name": "x"}, headers=people.secretariat.auth
    )  # the test client sends multipart/form-data for a dict
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


MULTIPART_PATHS = [
    "/api/reports",
    "/api/reports/import",
    "/api/factchecks/import",
    "/api/media/search",
]


@pytest.mark.parametrize("path", MULTIPART_PATHS)
def test_a_broken_multipart_body_gets_a_json_400_not_a_page(
    client: Client, people: Any, path: str
) -> None:
    response = client.generic(
        "POST",
        path,
        b"--nope\r\nthis is not multipart at all",
        content_type="multipart/form-data; boundary=",
        headers=people.secretariat.auth,
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_the_types_each_operation_takes_come_from_the_openapi_document() -> None:
    takes = declared_types()
    with_files = {path for (path, _), types in takes.items() if "multipart/form-data" in types}
    assert with_files == set(MULTIPART_PATHS)
    assert takes[("/api/cases/{case_id}/status", "POST")] == {"application/json"}


def test_an_operation_that_reads_no_body_ignores_its_type(client: Client, people: Any) -> None:
    response = client.post("/api/consensus/recompute", headers=people.secretariat.auth)
    assert response.status_code != 415
