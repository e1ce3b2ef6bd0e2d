from datetime import timedelta

from django.utils import timezone

from baraza.accounts.actions import do_revoke_token


def test_a_valid_token_authenticates(people, client):
    assert client.get("/api/reports", headers=people.alice.auth).status_code == 200


def test_an_expired_token_is_refused_with_401(people, client):
    token = people.alice.member.tokens.get()
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    response = client.get("/api/reports", headers=people.alice.auth)
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_a_revoked_token_is_refused_with_401(people, client):
    do_revoke_token(people.alice.member.tokens.get(), actor=people.alice.member.user)
    assert client.get("/api/reports", headers=people.alice.auth).status_code == 401


def test_a_wrong_token_is_refused_with_401(people, client):
    response = client.get("/api/reports", headers={"Authorization": "Bearer bz_not-a-token"})
    assert response.status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(people, client):
    user = people.alice.member.user
    user.is_active = False
    user.save()
    assert client.get("/api/reports", headers=people.alice.auth).status_code == 401
