"""Accounts' audit events told in words, in English and in French: never an e-mail address."""

from django.utils.translation import override

from baraza.accounts.actions import do_issue_token, do_revoke_token
from baraza.accounts.events import AccountEvent
from baraza.accounts.models import ApiToken
from baraza.audit.events import describe
from baraza.audit.models import AuditEvent


def told(event, language="en"):
    with override(language):
        return describe(event)


def test_it_describes_a_new_member_by_organisation_and_role(people):
    event = AuditEvent.objects.about(people.bob.member).get(action=AccountEvent.MEMBER_CREATED)
    assert told(event) == "Member added to Sauti Civic Watch (a new organisation) as reviewer"
    assert told(event, "fr") == (
        "Membre ajouté à Sauti Civic Watch (nouvelle organisation), rôle : examinateur"
    )
    amina = AuditEvent.objects.about(people.amina.member).get(action=AccountEvent.MEMBER_CREATED)
    assert told(amina) == "Member added to Ukweli Fact-Check as social-media monitor"
    for language in ("en", "fr"):
        assert "@" not in told(event, language) + told(amina, language)


def test_it_describes_tokens_by_their_hint(people):
    raw = do_issue_token(people.bob.member, label="laptop")
    token = ApiToken.objects.get(member=people.bob.member, hint=raw[:8])
    do_revoke_token(token, people.bob.member.user)
    issued = AuditEvent.objects.about(people.bob.member).get(action=AccountEvent.TOKEN_ISSUED)
    revoked = AuditEvent.objects.about(people.bob.member).get(action=AccountEvent.TOKEN_REVOKED)
    assert told(issued) == f"API token {token.hint}… issued · by Sauti Civic Watch"
    assert told(revoked) == f"API token {token.hint}… revoked · by Sauti Civic Watch"
    assert told(issued, "fr") == f"Jeton d'API {token.hint}… émis · par Sauti Civic Watch"
    assert told(revoked, "fr") == f"Jeton d'API {token.hint}… révoqué · par Sauti Civic Watch"
