import pytest
from django.core.management import call_command

from baraza.accounts.models import Member, Organisation, Role
from baraza.cases.models import Case
from baraza.intake.models import Election, Report


@pytest.mark.django_db
def test_the_demo_coalition_has_every_role_an_election_and_multilingual_reports(capsys, placed):
    with placed():
        call_command("seed_demo")
    printed = capsys.readouterr().out
    assert "token bz_" in printed
    assert set(Member.objects.values_list("role", flat=True)) == set(Role.values)
    assert Organisation.objects.values("kind").distinct().count() >= 5
    assert Election.objects.count() == 1
    assert Report.objects.count() >= 30
    assert Report.objects.exclude(language="").values("language").distinct().count() >= 6
    # Same-content reports were grouped: fewer cases than reports, all of them placed.
    assert Case.objects.count() < Report.objects.count()
    assert not Report.objects.filter(case_link__isnull=True).exists()


@pytest.mark.django_db
def test_the_demo_goes_only_into_an_empty_database(capsys):
    call_command("seed_demo")
    call_command("seed_demo", if_empty=True)
    assert Organisation.objects.filter(slug="ukweli-factcheck").count() == 1
    with pytest.raises(SystemExit):
        call_command("seed_demo")


@pytest.mark.django_db
def test_the_demo_is_never_created_in_production(settings):
    from django.core.management import CommandError

    from baraza.accounts.models import Member

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never created when BARAZA_ENV=production"):
        call_command("seed_demo")
    call_command("seed_demo", if_empty=True)
    assert not Member.objects.exists()
