"""TLP 2.0, enforced by `visible_to` querysets, for every level and every kind of person."""

from django.contrib.auth.models import AnonymousUser

from baraza.cases.models import Case
from baraza.intake.models import Report


def codes(queryset):
    return set(queryset.values_list("tracking_code", flat=True))


def test_anonymous_people_see_only_clear_reports(people, make_report):
    clear = make_report(people.alice, tlp="clear", text="clear report about the vote count")
    for level in ("green", "amber", "red"):
        make_report(people.alice, tlp=level, text=f"{level} report about the vote count")
    assert codes(Report.objects.visible_to(AnonymousUser())) == {clear.tracking_code}


def test_every_member_sees_green_reports(people, make_report):
    green = make_report(people.alice, tlp="green")
    for person in (people.alice, people.bob, people.carol, people.secretariat):
        assert green.tracking_code in codes(Report.objects.visible_to(person.member.user))


def test_it_hides_amber_reports_from_other_organisations(people, make_report):
    amber = make_report(people.alice, tlp="amber")
    assert amber.tracking_code in codes(Report.objects.visible_to(people.amina.member.user))
    assert amber.tracking_code not in codes(Report.objects.visible_to(people.bob.member.user))
    assert amber.tracking_code not in codes(Report.objects.visible_to(AnonymousUser()))


def test_amber_reports_are_visible_to_organisations_they_are_shared_with(people, make_report):
    amber = make_report(people.alice, tlp="amber")
    amber.shared_with.add(people.bob.organisation)
    assert amber.tracking_code in codes(Report.objects.visible_to(people.bob.member.user))
    assert amber.tracking_code not in codes(Report.objects.visible_to(people.carol.member.user))


def test_red_reports_are_visible_only_to_the_people_named_on_them(people, make_report):
    red = make_report(people.alice, tlp="red")
    assert red.tracking_code in codes(Report.objects.visible_to(people.alice.member.user))
    # Not even a colleague in the same organisation, unless named.
    assert red.tracking_code not in codes(Report.objects.visible_to(people.amina.member.user))
    assert red.tracking_code not in codes(Report.objects.visible_to(people.bob.member.user))
    red.recipients.add(people.bob.member.user)
    assert red.tracking_code in codes(Report.objects.visible_to(people.bob.member.user))


def test_public_submissions_belong_to_the_host_organisation(people, make_report):
    public = make_report(None)
    assert public.tlp == "amber"
    assert public.organisation == people.secretariat.organisation
    assert public.tracking_code in codes(Report.objects.visible_to(people.secretariat.member.user))
    assert public.tracking_code not in codes(Report.objects.visible_to(people.alice.member.user))


def test_an_inactive_member_sees_only_what_the_public_sees(people, make_report):
    make_report(people.alice, tlp="green")
    user = people.alice.member.user
    user.is_active = False
    user.save()
    assert not Report.objects.visible_to(user).exists()


def test_cases_follow_the_tlp_of_the_report_that_opened_them(people, make_report):
    amber = make_report(people.alice, tlp="amber")
    case = Case.objects.get(links__report=amber)
    assert Case.objects.visible_to(people.amina.member.user).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(people.bob.member.user).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(AnonymousUser()).filter(pk=case.pk).exists()


def test_the_same_content_under_another_audience_reveals_nothing(people, make_report):
    alices = make_report(people.alice, tlp="red", url="https://x.com/a/status/1")
    bobs = make_report(people.bob, tlp="green", url="https://x.com/a/status/1")
    bobs_case = Case.objects.get(links__report=bobs)
    assert Case.objects.get(links__report=alices) != bobs_case
    assert list(Case.objects.visible_to(people.bob.member.user)) == [bobs_case]
    assert bobs_case.tlp == "green"
