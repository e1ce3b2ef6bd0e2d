"""Dates people ask about are bounded: an extreme one is a 422 naming the parameter, in the API
and on the public pages, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from baraza.accountability.tests.test_research_api import create_key, host_admin  # noqa: F401

pytestmark = pytest.mark.django_db

EXTREMES = ["since=9999-12-31", "until=9999-12-31", "since=0001-01-01", "until=1999-12-31"]


@pytest.mark.parametrize("query", EXTREMES)
def test_the_transparency_api_refuses_an_extreme_day_naming_it(client: Client, query: str) -> None:
    response = client.get(f"/api/transparency?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", query.split("=")[0]]


@pytest.mark.parametrize("query", EXTREMES)
def test_the_transparency_page_says_which_day_is_wrong(client: Client, query: str) -> None:
    response = client.get(f"/transparency/?{query}")
    assert response.status_code in (200, 422)
    assert "Choose a day between" in response.content.decode()


def test_the_research_api_refuses_an_extreme_day(
    client: Client,
    host_admin: Any,  # noqa: F811  (the fixture, imported above)
) -> None:
    key = create_key(client, host_admin).json()["key"]
    response = client.get(
        "/api/research/reports?until=9999-12-31", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "until"]


def test_a_period_that_ends_before_it_starts_is_refused(client: Client) -> None:
    response = client.get("/api/transparency?since=2026-03-01&until=2026-02-01")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "since"]
