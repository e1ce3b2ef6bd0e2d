"""Shared steps of the accountability tests: liaisons, referring, responding, through the API."""

from baraza.accounts.actions import do_create_member
from baraza.accounts.models import Organisation
from baraza.conftest import PASSWORD, Person

POST = "https://x.com/someone/status/4242"


def liaison(slug, email, kind="platform"):
    created = do_create_member(
        org_slug=slug,
        org_name=slug.title(),
        role="platform_liaison",
        email=email,
        password=PASSWORD,
    )
    Organisation.objects.filter(slug=slug).update(kind=kind)
    return Person(created.member, created.token)


def refer(client, person, case, **body):
    payload = {"recipient": "metaplat", "requested_action": "remove", **body}
    return client.post(
        f"/api/cases/{case.pk}/referrals",
        payload,
        content_type="application/json",
        headers=person.auth if person else {},
    )


def respond(client, person, referral_id, **body):
    return client.post(
        f"/api/referrals/{referral_id}/responses",
        body,
        content_type="application/json",
        headers=person.auth if person else {},
    )
