from baraza.conftest import PASSWORD


def test_a_member_can_log_in_and_reach_the_case_queue(people, client):
    response = client.post(
        "/login/", {"username": "alice@ukweli.example", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/cases/"
    assert "Ukweli" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(people, client):
    response = client.post("/login/", {"username": "alice@ukweli.example", "password": "nope"})
    assert response.status_code == 200
    assert "wrong" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(people, client):
    client.login(username="alice@ukweli.example", password=PASSWORD)
    client.post("/logout/")
    assert client.get("/cases/").status_code == 302


def test_log_in_attempts_are_rate_limited_per_address(people, client, settings):
    settings.LOGIN_RATE = "3/m"
    for _ in range(3):
        client.post("/login/", {"username": "alice@ukweli.example", "password": "guess"})
    response = client.post("/login/", {"username": "alice@ukweli.example", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_one_accounts_password_from_many_addresses_is_limited(people, settings):
    from django.test import Client

    settings.LOGIN_RATE = "3/m"
    for n in range(3):
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(
            "/login/", {"username": "alice@ukweli.example", "password": "guess"}
        )
    fresh = Client(REMOTE_ADDR="198.51.100.9")
    response = fresh.post("/login/", {"username": "alice@ukweli.example", "password": PASSWORD})
    assert response.status_code == 429
