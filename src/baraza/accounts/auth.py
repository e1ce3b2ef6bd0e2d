"""Bearer-token authentication for the API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from baraza.accounts.models import ApiToken, Member, hash_token


def member_for_token(raw: str) -> Member | None:
    """The member a bearer token belongs to, if it is valid, unexpired and unrevoked."""
    token = (
        ApiToken.objects.usable()
        .select_related("member__user", "member__organisation")
        .filter(digest=hash_token(raw.strip()))
        .first()
    )
    if token is None or not token.member.user.is_active:
        return None
    return token.member


class MemberToken(HttpBearer):
    """Requires `Authorization: Bearer <token>` of an active member."""

    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        member = member_for_token(token)
        if member is not None:
            request.user = member.user
        return member


def optional_member(request: HttpRequest) -> Member | None:
    """The member behind the request's token, None without one; a bad token is an error.

    A caller who sends a token means to act as a member: silently treating a wrong or expired
    token as anonymous would file their report under the wrong owner.
    """
    header = request.headers.get("Authorization")
    if not header:
        return None
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise AuthenticationError(message="Authorization must be 'Bearer <token>'")
    member = member_for_token(raw)
    if member is None:
        raise AuthenticationError(message="the bearer token is invalid, expired or revoked")
    request.user = member.user
    return member
