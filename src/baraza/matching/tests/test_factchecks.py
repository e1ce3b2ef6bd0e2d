"""The fact-check library: ClaimReview import (CLI and API), search, and the case page."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from baraza.audit.models import AuditEvent
from baraza.cases.models import Case
from baraza.conftest import PASSWORD
from baraza.matching.models import FactCheck
from baraza.testing import field_errors


def claimreview(claim, rating="False", url="https://factcheck.example/1", **extra):
    node = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim,
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "url": url,
        "author": {"@type": "Organization", "name": "Ukweli Fact-Check"},
        "datePublished": "2027-08-01",
        "itemReviewed": {"@type": "Claim", "appearance": [{"url": "https://x.com/a/status/1"}]},
    }
    node.update(extra)
    return node


SMS = claimreview("You can vote by SMS by sending your ID number to 40404.")
INK = claimreview(
    "The ink on your finger can be washed off with vinegar.",
    "Misleading",
    "https://factcheck.example/2",
)


def upload(client, person, name, content):
    file = SimpleUploadedFile(name, content.encode())
    return client.post("/api/factchecks/import", {"file": file}, headers=person.auth)


def test_a_reviewer_imports_claimreview_json_ld(people, client):
    graph = {"@context": "https://schema.org", "@graph": [SMS, INK]}
    response = upload(client, people.alice, "feed.jsonld", json.dumps(graph))
    assert response.status_code == 200
    assert response.json()["created"] == 2
    sms = FactCheck.objects.get(url="https://factcheck.example/1")
    assert (sms.rating, sms.author, str(sms.published_on)) == (
        "False",
        "Ukweli Fact-Check",
        "2027-08-01",
    )
    assert sms.appearances == ["https://x.com/a/status/1"]
    assert sms.language == "en"  # detected
    assert AuditEvent.objects.filter(action="matching.factchecks_imported").count() == 1


def test_importing_the_same_feed_again_adds_nothing(people, client):
    upload(client, people.alice, "a.json", json.dumps([SMS, INK]))
    again = upload(client, people.alice, "a.json", json.dumps([SMS, INK])).json()
    assert (again["created"], again["duplicates"]) == (0, 2)


def test_bad_records_are_rejected_one_by_one(people, client):
    no_claim = claimreview("", url="https://factcheck.example/3")
    bad_url = claimreview("Some claim about ballots", url="not a url")
    body = upload(client, people.alice, "f.json", json.dumps([SMS, no_claim, bad_url])).json()
    assert body["created"] == 1
    assert {(r["where"], r["field"]) for r in body["rejected"]} == {
        ("f.json#2", "claim"),
        ("f.json#3", "url"),
    }
    broken = upload(client, people.alice, "g.json", "{not json").json()
    assert broken["rejected"][0]["message"].startswith("is not valid JSON-LD")


def test_jsonl_and_csv_are_accepted_too(people, client):
    jsonl = json.dumps(
        {
            "claim": "Foreigners were bused in to vote.",
            "rating": "False",
            "url": "https://factcheck.example/9",
            "language": "en",
        }
    )
    assert upload(client, people.alice, "f.jsonl", jsonl).json()["created"] == 1
    csv = "claim,rating,url\nThe election was moved to Monday.,False,https://factcheck.example/8\n"
    assert upload(client, people.alice, "f.csv", csv).json()["created"] == 1


def test_a_monitor_may_not_import_fact_checks(people, client):
    assert upload(client, people.amina, "a.json", json.dumps(SMS)).status_code == 403
    assert not FactCheck.objects.exists()


@pytest.mark.django_db
def test_anonymous_people_may_not_import_or_search(client):
    file = SimpleUploadedFile("a.json", json.dumps(SMS).encode())
    assert client.post("/api/factchecks/import", {"file": file}).status_code == 401
    assert client.get("/api/factchecks/search?q=vote").status_code == 401
    assert not FactCheck.objects.exists()


def test_any_member_searches_in_any_language(people, client):
    upload(client, people.alice, "a.json", json.dumps([SMS, INK]))
    for person in (people.alice, people.bob):  # published fact-checks are for every member
        response = client.get(
            "/api/factchecks/search",
            {"q": "Wino kwenye kidole unaweza kuondolewa kwa siki", "top": 1},
            headers=person.auth,
        )
        assert response.status_code == 200
        [hit] = response.json()
        assert hit["factcheck"]["url"] == "https://factcheck.example/2"
        assert 0 < hit["cosine"] <= 1


def test_a_search_without_text_is_a_422(people, client):
    response = client.get("/api/factchecks/search?q=", headers=people.alice.auth)
    assert list(field_errors(response)) == ["q"]


def test_the_case_page_shows_a_matching_fact_check(people, client, make_report):
    upload(client, people.alice, "a.json", json.dumps([SMS, INK]))
    report = make_report(
        None, text="Unaweza kupiga kura kwa SMS, tuma namba ya kitambulisho kwa 40404"
    )
    case = Case.objects.get(links__report=report)
    client.login(username="sec@host.example", password=PASSWORD)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Published fact-checks that may match" in html
    assert "https://factcheck.example/1" in html
    assert "https://factcheck.example/2" not in html


def test_the_cli_imports_a_directory(people, tmp_path):
    (tmp_path / "one.jsonld").write_text(json.dumps(SMS))
    (tmp_path / "two.json").write_text(json.dumps(INK))
    (tmp_path / "notes.txt").write_text("ignored")
    out = StringIO()
    call_command("import_factchecks", str(tmp_path), "--org", "ukweli", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["files"], summary["created"]) == (2, 2)


def test_the_cli_refuses_a_missing_path(db, tmp_path):
    with pytest.raises(CommandError, match="neither a file nor a directory"):
        call_command("import_factchecks", str(tmp_path / "nowhere"))


def test_a_large_library_is_searched_through_its_persistent_index(people, client, settings):
    from baraza.matching import library, storage

    settings.FACTCHECK_INDEX_MIN = 2
    upload(client, people.alice, "a.json", json.dumps([SMS, INK]))
    hits = library.search_factchecks("Wino kwenye kidole unaweza kuondolewa kwa siki", top_k=1)
    assert [hit.factcheck.url for hit in hits] == ["https://factcheck.example/2"]
    assert library.index_path().exists()
    assert storage.FACTCHECK_INDEX in settings.DERIVED_FILES.asked
