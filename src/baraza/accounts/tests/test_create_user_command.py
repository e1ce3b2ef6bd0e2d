import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from baraza.accounts.models import Member, Organisation
from baraza.cli import main


def run(*args: str) -> dict:
    out = StringIO()
    call_command("create_user", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_it_creates_the_organisation_and_member_and_prints_a_working_token(client):
    printed = run(
        "--org",
        "ukweli",
        "--role",
        "reviewer",
        "--email",
        "Alice@Ukweli.example",
        "--org-name",
        "Ukweli Fact-Check",
    )
    assert printed["organisation"] == "ukweli"
    assert printed["organisation_created"] is True
    assert printed["email"] == "alice@ukweli.example"
    assert Organisation.objects.get(slug="ukweli").name == "Ukweli Fact-Check"
    assert Member.objects.get(user__email="alice@ukweli.example").role == "reviewer"
    response = client.get("/api/reports", headers={"Authorization": f"Bearer {printed['token']}"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_adds_members_to_an_existing_organisation():
    run("--org", "ukweli", "--role", "reviewer", "--email", "a@ukweli.example")
    printed = run("--org", "ukweli", "--role", "monitor", "--email", "b@ukweli.example")
    assert printed["organisation_created"] is False
    assert Organisation.objects.get(slug="ukweli").members.count() == 2


@pytest.mark.django_db
def test_it_stores_only_a_hash_of_the_token():
    printed = run("--org", "ukweli", "--role", "reviewer", "--email", "a@ukweli.example")
    token = Member.objects.get(user__email="a@ukweli.example").tokens.get()
    assert printed["token"] not in token.digest
    assert printed["token"].startswith(token.hint)


@pytest.mark.django_db
def test_it_refuses_a_second_user_with_the_same_email():
    run("--org", "ukweli", "--role", "reviewer", "--email", "a@ukweli.example")
    with pytest.raises(CommandError, match="already exists"):
        run("--org", "sauti", "--role", "reviewer", "--email", "A@ukweli.example")


@pytest.mark.django_db
def test_it_refuses_an_organisation_slug_that_is_not_a_slug():
    with pytest.raises(CommandError, match="org must be a slug"):
        run("--org", "Not A Slug", "--role", "reviewer", "--email", "a@x.example")


@pytest.mark.django_db
def test_the_console_script_accepts_the_hyphenated_command_name(capsys):
    main(["create-user", "--org", "ukweli", "--role", "monitor", "--email", "m@ukweli.example"])
    assert json.loads(capsys.readouterr().out)["role"] == "monitor"


@pytest.mark.django_db
def test_the_console_script_rejects_an_unknown_role(capsys):
    with pytest.raises(SystemExit):
        main(["create-user", "--org", "ukweli", "--role", "overlord", "--email", "m@x.example"])
    assert "invalid choice" in capsys.readouterr().err
