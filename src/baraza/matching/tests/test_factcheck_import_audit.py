"""Every fact-check import is audited, including an operator's import with no organisation."""

import json
from io import StringIO

from django.conf import settings
from django.core.management import call_command

from baraza.accounts.models import Organisation
from baraza.audit.models import AuditEvent
from baraza.matching.actions import do_import_factchecks
from baraza.matching.claimreview import read_file
from baraza.matching.events import MatchingEvent
from baraza.matching.tests.test_factchecks import INK, SMS


def test_an_import_without_an_organisation_is_audited_on_the_host_organisation(db):
    records = read_file("feed.json", json.dumps([SMS, INK, SMS]).encode())
    result = do_import_factchecks(records, organisation=None, actor=None, source="feed.json")
    assert (result.created, result.duplicates) == (2, 1)
    event = AuditEvent.objects.get(action=MatchingEvent.FACTCHECKS_IMPORTED)
    host = Organisation.objects.get(slug=settings.HOST_ORGANISATION)
    assert (event.object_type, event.object_id) == ("accounts.organisation", str(host.pk))
    assert event.actor is None and event.actor_organisation is None
    assert event.payload == {
        "source": "feed.json",
        "created": 2,
        "duplicates": 1,
        "rejected": 0,
        "by_operator": True,
    }


def test_the_operators_command_line_import_is_audited(db, tmp_path):
    (tmp_path / "feed.jsonld").write_text(json.dumps(SMS))
    call_command("import_factchecks", str(tmp_path), stdout=StringIO())
    event = AuditEvent.objects.get(action=MatchingEvent.FACTCHECKS_IMPORTED)
    assert event.payload["created"] == 1 and event.payload["by_operator"] is True
    assert event.payload["source"] == str(tmp_path)


def test_an_import_that_adds_nothing_is_still_audited(db):
    records = read_file("bad.json", json.dumps([{"claimReviewed": ""}]).encode())
    result = do_import_factchecks(records, organisation=None, actor=None, source="bad.json")
    assert result.created == 0 and len(result.rejected) >= 1
    event = AuditEvent.objects.get(action=MatchingEvent.FACTCHECKS_IMPORTED)
    assert (event.payload["created"], event.payload["rejected"]) == (0, len(result.rejected))


def test_an_organisations_import_is_audited_on_that_organisation(people):
    records = read_file("feed.json", json.dumps([SMS]).encode())
    do_import_factchecks(
        records,
        organisation=people.alice.organisation,
        actor=people.alice.member.user,
        source="feed.json",
    )
    event = AuditEvent.objects.get(action=MatchingEvent.FACTCHECKS_IMPORTED)
    assert event.object_id == str(people.alice.organisation.pk)
    assert event.actor_organisation == people.alice.organisation
    assert event.payload["by_operator"] is False
