"""Research keys and the research API: admins of the host organisation grant keys; a key reads
pseudonymised green and clear data only, within its rate limit, and every query is audited."""

import pytest
from django.conf import settings

from baraza.accountability.models import ResearchKey
from baraza.accounts.actions import do_create_member
from baraza.audit.models import AuditEvent
from baraza.conftest import PASSWORD, Person
from baraza.testing import field_errors

KEY = {"holder": "Dr Wanjiru, University of Nairobi", "email": "w@uon.example",
       "purpose": "Time to action by language in the 2027 election"}  # fmt: skip


def admin(org, email):
    created = do_create_member(org_slug=org, org_name=None, role="admin", email=email,
                               password=PASSWORD)  # fmt: skip
    return Person(created.member, created.token)


@pytest.fixture
def host_admin(people):
    return admin(settings.HOST_ORGANISATION, "root@host.example")


def create_key(client, person, **changes):
    return client.post(
        "/api/research/keys",
        {**KEY, **changes},
        content_type="application/json",
        headers=person.auth if person else {},
    )


@pytest.fixture
def research_key(client, host_admin):
    response = create_key(client, host_admin)
    assert response.status_code == 201
    return response.json()["key"]


def pull(client, key, what="reports", **query):
    return client.get(f"/api/research/{what}", query, headers={"Authorization": f"Bearer {key}"})


TEXTS = {
    "clear": "Polling stations in Kisumu close at 2pm on voting day. Call 0712345678.",
    "green": "Ballot papers in Eldoret were pre-marked for one candidate, says a video.",
    "amber": "The Nakuru tallying centre will be moved to a secret location tonight.",
    "red": "A named official in Garissa is accused of taking bribes.",
}


@pytest.fixture
def reports(people, make_report):
    return {tlp: make_report(people.amina, tlp=tlp, text=text) for tlp, text in TEXTS.items()}


def test_the_host_admin_creates_a_key_shown_once(client, host_admin):
    response = create_key(client, host_admin)
    assert response.status_code == 201
    body = response.json()
    assert body["key"].startswith("bzr_") and body["holder"] == KEY["holder"]
    stored = ResearchKey.objects.get()
    assert body["key"] not in (stored.digest, stored.hint)
    listed = client.get("/api/research/keys", headers=host_admin.auth).json()
    assert listed["count"] == 1
    assert [k["id"] for k in listed["items"]] == [body["id"]] and "key" not in listed["items"][0]
    assert AuditEvent.objects.filter(action="accountability.research_key_created").count() == 1


def test_only_the_host_organisations_admins_manage_keys(client, people, host_admin):
    other_admin = admin("ukweli", "boss@ukweli.example")
    assert create_key(client, other_admin).status_code == 403
    assert create_key(client, people.secretariat).status_code == 403
    assert create_key(client, people.alice).status_code == 403
    assert create_key(client, None).status_code == 401
    assert client.get("/api/research/keys", headers=people.bob.auth).status_code == 403
    assert ResearchKey.objects.count() == 0


def test_bad_key_requests_name_the_field(client, host_admin):
    for changes, field in (({"email": "nobody"}, "email"), ({"purpose": " "}, "purpose"),
                           ({"days": 0}, "days")):  # fmt: skip
        assert list(field_errors(create_key(client, host_admin, **changes))) == [field], changes
    assert ResearchKey.objects.count() == 0


def test_a_key_reads_green_and_clear_reports_pseudonymised(client, research_key, reports):
    body = pull(client, research_key).json()
    assert body["count"] == 2
    texts = " ".join(item["text"] for item in body["items"])
    assert "Kisumu" in texts and "Eldoret" in texts
    assert "Nakuru" not in texts and "Garissa" not in texts
    assert "0712345678" not in texts and "[phone]" in texts
    item = body["items"][0]
    assert item["organisation"].startswith("org_") and item["id"].startswith("report_")
    assert item["created_hour"].endswith(":00:00Z") or ":00:00+" in item["created_hour"]
    everything = str(body)
    for report in reports.values():
        assert report.tracking_code not in everything
    assert "ukweli" not in everything and "amina" not in everything


def test_pseudonyms_are_stable_for_a_key_and_differ_between_keys(
    client, host_admin, research_key, reports
):
    first = pull(client, research_key).json()["items"]
    again = pull(client, research_key).json()["items"]
    assert [i["id"] for i in first] == [i["id"] for i in again]
    other_key = create_key(client, host_admin, holder="Another lab").json()["key"]
    other = pull(client, other_key).json()["items"]
    assert {i["id"] for i in first}.isdisjoint({i["id"] for i in other})
    assert first[0]["organisation"] != other[0]["organisation"]


def test_a_key_reads_green_and_clear_cases(client, research_key, reports):
    body = pull(client, research_key, "cases").json()
    assert body["count"] == 2
    assert {item["tlp"] for item in body["items"]} == {"clear", "green"}
    assert all(item["reports"] == 1 and item["outcome"] is None for item in body["items"])


def test_every_research_query_is_audited(client, research_key, reports):
    pull(client, research_key, country="KE", limit=1)
    pull(client, research_key, "cases")
    events = AuditEvent.objects.filter(action="accountability.research_query").order_by("pk")
    assert [e.payload["operation"] for e in events] == ["research_reports", "research_cases"]
    assert events[0].payload["country"] == "KE" and events[0].payload["rows"] == 1
    assert events[0].payload["limit"] == 1 and events[0].payload["offset"] == 0
    assert events[1].payload["rows"] == 2


def test_research_queries_are_rate_limited_per_key(client, research_key, reports, settings):
    settings.RESEARCH_RATE = "2/m"
    assert pull(client, research_key).status_code == 200
    assert pull(client, research_key).status_code == 200
    limited = pull(client, research_key)
    assert limited.status_code == 429 and limited["Retry-After"] == "60"


def test_member_tokens_revoked_keys_and_no_key_are_refused(
    client, people, host_admin, research_key, reports
):
    assert pull(client, people.secretariat.token).status_code == 401  # a member token
    assert client.get("/api/research/reports").status_code == 401
    key_id = ResearchKey.objects.get().pk
    assert client.delete(f"/api/research/keys/{key_id}", headers=people.bob.auth).status_code == 403
    assert ResearchKey.objects.get().revoked_at is None
    assert pull(client, research_key).status_code == 200  # still usable
    revoked = client.delete(f"/api/research/keys/{key_id}", headers=host_admin.auth)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert pull(client, research_key).status_code == 401


def test_bad_research_queries_name_the_field(client, research_key):
    backwards = pull(client, research_key, since="2027-02-01", until="2027-01-01")
    assert list(field_errors(backwards)) == ["since"]
    assert list(field_errors(pull(client, research_key, limit=5000))) == ["limit"]
    assert list(field_errors(pull(client, research_key, tracking_code="X"))) == ["tracking_code"]
    assert not AuditEvent.objects.filter(action="accountability.research_query").exists()


def test_research_lists_are_pages_of_the_apis_one_paginator(client, research_key, reports):
    first = pull(client, research_key, limit=1).json()
    second = pull(client, research_key, limit=1, offset=1).json()
    assert set(first) == {"items", "count"} and first["count"] == second["count"] == 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert pull(client, research_key, offset=2).json() == {"items": [], "count": 2}
    events = AuditEvent.objects.filter(action="accountability.research_query").order_by("pk")
    assert [e.payload["rows"] for e in events] == [1, 1, 0]


def test_an_unknown_research_parameter_is_refused_by_name(client, research_key, reports):
    response = pull(client, research_key, "cases", platfrom="x")
    assert "platfrom" in field_errors(response)
    assert not AuditEvent.objects.filter(action="accountability.research_query").exists()
