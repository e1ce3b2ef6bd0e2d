"""State changes of organisations, members and tokens."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from baraza.accounts.events import AccountEvent
from baraza.accounts.models import ApiToken, Member, Organisation, Role, User, hash_token
from baraza.audit.actions import record


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class NewMember:
    member: Member
    token: str
    organisation_created: bool


def do_create_member(
    *,
    org_slug: str,
    role: str,
    email: str,
    org_name: str | None = None,
    org_kind: str = Organisation.Kind.CIVIL_SOCIETY,
    org_country: str = "",
    password: str | None = None,
    actor: object = None,
) -> NewMember:
    """Create the member (and their organisation if it does not exist) with a first API token."""
    if role not in Role.values:
        raise AccountError(f"role must be one of {', '.join(Role.values)}, not {role!r}")
    if slugify(org_slug) != org_slug:
        raise AccountError(f"org must be a slug (lowercase letters, digits, -), not {org_slug!r}")
    email = User.objects.normalize_email(email).strip().lower()
    if "@" not in email:
        raise AccountError(f"email is not an email address: {email!r}")
    with transaction.atomic():
        organisation, created = Organisation.objects.get_or_create(
            slug=org_slug,
            defaults={"name": org_name or org_slug, "kind": org_kind, "country": org_country},
        )
        if User.objects.filter(username=email).exists():
            raise AccountError(f"a user with email {email} already exists")
        user = User.objects.create_user(username=email, email=email, password=password)
        member = Member.objects.create(user=user, organisation=organisation, role=role)
        token = _issue_token(member, label="first token")
        record(
            AccountEvent.MEMBER_CREATED,
            member,
            actor,
            {"organisation": organisation.slug, "role": role, "organisation_created": created},
        )
    return NewMember(member=member, token=token, organisation_created=created)


def _issue_token(member: Member, label: str) -> str:
    raw = ApiToken.generate()
    ApiToken.objects.create(
        member=member,
        digest=hash_token(raw),
        hint=raw[:8],
        label=label,
        expires_at=ApiToken.default_expiry(),
    )
    return raw


def do_issue_token(member: Member, label: str = "") -> str:
    with transaction.atomic():
        raw = _issue_token(member, label)
        record(AccountEvent.TOKEN_ISSUED, member, member.user, {"hint": raw[:8], "label": label})
    return raw


def do_revoke_token(token: ApiToken, actor: object) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(AccountEvent.TOKEN_REVOKED, token.member, actor, {"hint": token.hint})
