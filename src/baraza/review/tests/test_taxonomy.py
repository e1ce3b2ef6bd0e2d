"""The taxonomies: shipped by a migration, listed to members, edited by admins, DISARM imports."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from baraza.audit.models import AuditEvent
from baraza.conftest import PASSWORD
from baraza.review.models import Term
from baraza.testing import field_errors

SHARED_DISARM = Path(__file__).resolve().parents[5] / "shared" / "data" / "disarm" / "DISARM.json"


def codes(scheme):
    return set(Term.objects.filter(scheme=scheme).values_list("code", flat=True))


def test_the_coalition_starts_with_every_taxonomy(db):
    assert codes("verdict") == {
        "false",
        "misleading",
        "missing_context",
        "true",
        "unverifiable",
        "satire",
        "not_in_scope",
    }
    assert codes("severity") == {"1", "2", "3", "4"}
    assert all(Term.objects.filter(scheme="severity").values_list("definition", flat=True))
    assert "voter_suppression" in codes("category")
    assert "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS" in codes(
        "dsa_category"
    )
    assert len(codes("disarm_tactic")) == 16
    assert len(codes("disarm_technique")) == 391


def test_disarm_techniques_sit_under_their_tactic_with_attribution(db):
    technique = Term.objects.get(scheme="disarm_technique", code="T0002")
    assert technique.label == "Facilitate State Propaganda"
    assert technique.parent.scheme == "disarm_tactic"
    assert "CC BY-SA 4.0" in technique.source
    sub = Term.objects.filter(scheme="disarm_technique", code__contains=".").first()
    assert sub.parent.code == sub.code.split(".")[0]


def test_members_list_one_scheme(people, client):
    response = client.get("/api/taxonomy", {"scheme": "severity"}, headers=people.bob.auth)
    assert response.status_code == 200
    body = response.json()
    assert [term["code"] for term in body] == ["1", "2", "3", "4"]
    assert body[3]["label"] == "Severe" and body[3]["definition"]


def test_retired_terms_are_hidden_unless_asked_for(people, client):
    Term.objects.filter(scheme="verdict", code="satire").update(active=False)
    listed = client.get("/api/taxonomy?scheme=verdict", headers=people.alice.auth).json()
    assert "satire" not in [term["code"] for term in listed]
    everything = client.get(
        "/api/taxonomy?scheme=verdict&include_retired=true", headers=people.alice.auth
    ).json()
    assert "satire" in [term["code"] for term in everything]


def test_an_unknown_scheme_is_a_422_and_anonymous_people_a_401(people, client):
    response = client.get("/api/taxonomy?scheme=astrology", headers=people.bob.auth)
    assert list(field_errors(response)) == ["scheme"]
    assert client.get("/api/taxonomy").status_code == 401


def stix(kind, code, name, **extra):
    ids = {"attack-pattern": "attack-pattern", "x-mitre-tactic": "x-mitre-tactic"}
    return {
        "type": kind,
        "spec_version": "2.1",
        "id": f"{ids[kind]}--00000000-0000-4000-8000-{abs(hash(code)) % 10**12:012d}",
        "created": "2026-01-01T00:00:00.000Z",
        "modified": "2026-01-01T00:00:00.000Z",
        "name": name,
        "external_references": [{"source_name": "DISARM", "external_id": code}],
        **extra,
    }


def phase(name):
    return {"kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": name}]}


def test_importing_a_disarm_release_adds_and_renames_by_id(db, tmp_path):
    bundle = {
        "type": "bundle",
        "id": "bundle--00000000-0000-4000-8000-000000000000",
        "objects": [
            stix("x-mitre-tactic", "TA01", "Plan Strategy", x_mitre_shortname="plan-strategy"),
            stix(
                "attack-pattern",
                "T0002",
                "Facilitate State Propaganda (renamed)",
                **phase("plan-strategy"),
            ),
            stix(
                "attack-pattern",
                "T9999",
                "A technique of a newer release",
                **phase("plan-strategy"),
            ),
            stix("attack-pattern", "T9999.001", "Its sub-technique", **phase("plan-strategy")),
        ],
    }
    path = tmp_path / "DISARM.json"
    path.write_text(json.dumps(bundle))
    out = StringIO()
    call_command("import_disarm", str(path), stdout=out)
    summary = json.loads(out.getvalue())
    assert summary == {"tactics": 1, "techniques": 3, "new_tactics": 0, "new_techniques": 2}
    assert Term.objects.get(code="T0002").label == "Facilitate State Propaganda (renamed)"
    assert Term.objects.get(code="T9999").parent.code == "TA01"
    assert Term.objects.get(code="T9999.001").parent.code == "T9999"
    # Ids this release no longer lists stay, so past assessments keep their meaning.
    assert Term.objects.filter(scheme="disarm_technique").count() == 393
    assert AuditEvent.objects.filter(action="review.disarm_imported").count() == 1


@pytest.mark.skipif(not SHARED_DISARM.exists(), reason="needs ../shared/data/disarm")
def test_the_real_disarm_bundle_imports_to_what_ships(db):
    out = StringIO()
    call_command("import_disarm", str(SHARED_DISARM), stdout=out)
    assert json.loads(out.getvalue())["new_techniques"] == 0


@pytest.mark.parametrize(
    "content",
    ["not json at all", json.dumps({"type": "bundle", "id": "bundle--x", "objects": []}), "[]"],
)
def test_a_file_that_is_not_a_disarm_bundle_changes_nothing(db, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    before = Term.objects.count()
    with pytest.raises(CommandError, match=r"bad\.json"):
        call_command("import_disarm", str(path))
    assert Term.objects.count() == before
    assert not AuditEvent.objects.filter(action="review.disarm_imported").exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.json"):
        call_command("import_disarm", str(tmp_path / "nowhere.json"))


def test_an_admin_edits_a_term_and_the_edit_is_audited(people, client):
    people.amina.member.role = "admin"
    people.amina.member.save()
    assert client.login(username=people.amina.member.user.email, password=PASSWORD)
    term = Term.objects.get(scheme="severity", code="4")
    page = client.get(f"/admin/review/term/{term.pk}/change/")
    assert page.status_code == 200
    response = client.post(
        f"/admin/review/term/{term.pk}/change/",
        {
            "scheme": "severity",
            "code": "4",
            "label": "Critical",
            "definition": term.definition,
            "position": term.position,
            "active": "on",
            "source": term.source,
            "parent": "",
        },
    )
    assert response.status_code == 302
    assert Term.objects.get(pk=term.pk).label == "Critical"
    event = AuditEvent.objects.get(action="review.term_changed")
    assert event.payload == {"scheme": "severity", "code": "4", "fields": ["label"]}


def test_only_admins_reach_the_taxonomy_pages(people, client):
    term = Term.objects.get(scheme="severity", code="4")
    url = f"/admin/review/term/{term.pk}/change/"
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    for person in (people.alice, people.secretariat):  # a reviewer, the secretariat
        client.logout()
        assert client.login(username=person.member.user.email, password=PASSWORD)
        assert client.get(url).status_code == 302
        assert client.post(url, {"label": "Hijacked"}).status_code == 302
    assert Term.objects.get(pk=term.pk).label == "Severe"
