"""Who may act (accounts/permissions.py and each app's permissions.py): capabilities by role,
action rules by object, and the one answer `actionable_by`, `may` and `require` all give."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from baraza.accountability.models import Referral
from baraza.accountability.permissions import ReferralAction
from baraza.accountability.tests.helpers import liaison
from baraza.accounts.actions import do_create_member
from baraza.accounts.models import Member, Organisation
from baraza.accounts.permissions import Capability, can, may, require, require_capability
from baraza.cases.models import Case
from baraza.cases.permissions import CaseAction
from baraza.conftest import PASSWORD, Person
from baraza.errors import Refused
from baraza.review.models import Decision, Outcome


def member(org, role, email):
    created = do_create_member(org_slug=org, role=role, email=email, password=PASSWORD)
    return Person(created.member, created.token)


def case_of(report):
    return Case.objects.get(links__report=report)


def acting_on(person_or_user, action, case):
    """The cases of this one that the person may act on (a queryset of at most one)."""
    who = person_or_user.member if isinstance(person_or_user, Person) else person_or_user
    return Case.objects.filter(pk=case.pk).actionable_by(who, action)


def test_only_the_owners_secretariat_may_change_a_cases_status(people, make_report):
    case = case_of(make_report(people.amina, tlp="green"))  # owned by Ukweli, seen by all
    ukweli_secretariat = member("ukweli", "secretariat", "sec@ukweli.example")
    ukweli_admin = member("ukweli", "admin", "root@ukweli.example")
    sauti_secretariat = member("sauti", "secretariat", "sec@sauti.example")

    assert list(acting_on(ukweli_secretariat, CaseAction.CHANGE_STATUS, case)) == [case]
    assert list(acting_on(ukweli_admin, CaseAction.CHANGE_STATUS, case)) == [case]
    for other in (sauti_secretariat, people.secretariat, people.alice, people.amina):
        assert not acting_on(other, CaseAction.CHANGE_STATUS, case).exists(), other
    assert not acting_on(AnonymousUser(), CaseAction.CHANGE_STATUS, case).exists()
    # A user and their member are the same person to the rules.
    assert acting_on(ukweli_secretariat.member.user, CaseAction.CHANGE_STATUS, case).exists()


def test_may_and_require_give_the_same_answer_as_the_queryset(people, make_report):
    case = case_of(make_report(people.amina, tlp="green"))
    owner = member("ukweli", "secretariat", "sec@ukweli.example")
    assert may(owner.member, CaseAction.CHANGE_STATUS, case)
    assert require(owner.member, CaseAction.CHANGE_STATUS, case) == owner.member
    assert not may(people.secretariat.member, CaseAction.CHANGE_STATUS, case)
    with pytest.raises(Refused, match="changes its status") as refused:
        require(people.secretariat.member, CaseAction.CHANGE_STATUS, case)
    assert refused.value.status == 403
    with pytest.raises(Refused):
        require(AnonymousUser(), CaseAction.CHANGE_STATUS, case)


def test_any_curator_may_curate_a_green_case_but_only_the_owner_an_amber_one(people, make_report):
    green = case_of(make_report(people.amina, tlp="green", text="A green claim about ballots."))
    amber = case_of(make_report(people.amina, tlp="amber", text="An amber claim about voters."))
    curators = (people.alice, people.bob, people.carol, people.secretariat)
    for person in curators:
        assert may(person.member, CaseAction.CURATE, green), person
    assert may(people.alice.member, CaseAction.CURATE, amber)  # a reviewer of the owner
    for person in (people.bob, people.carol, people.secretariat):  # other organisations
        assert not may(person.member, CaseAction.CURATE, amber), person
    # A monitor curates nothing, not even their own organisation's cases.
    assert not may(people.amina.member, CaseAction.CURATE, green)
    assert not may(people.amina.member, CaseAction.CURATE, amber)
    assert not Case.objects.actionable_by(AnonymousUser(), CaseAction.CURATE).exists()


def test_a_rule_nobody_registered_is_a_programming_error(people, make_report):
    case = case_of(make_report(None))
    with pytest.raises(LookupError, match="levitate"):
        Case.objects.actionable_by(people.secretariat.member, "levitate")
    with pytest.raises(LookupError):
        may(people.secretariat.member, "levitate", case)
    with pytest.raises(LookupError):
        require(people.secretariat.member, "levitate", case)
    # Even for someone who may do nothing at all: a missing rule is never a quiet "no".
    with pytest.raises(LookupError):
        Case.objects.actionable_by(AnonymousUser(), "levitate")
    # A rule registered for one model does not answer for another.
    with pytest.raises(LookupError):
        Referral.objects.actionable_by(people.secretariat.member, CaseAction.CHANGE_STATUS)


def test_an_inactive_member_may_do_nothing(people, make_report):
    case = case_of(make_report(None, tlp="clear"))  # the host organisation's
    user = people.secretariat.member.user
    assert may(people.secretariat.member, CaseAction.CHANGE_STATUS, case)
    user.is_active = False
    user.save()
    inactive = Member.objects.select_related("user").get(pk=people.secretariat.member.pk)
    for action in (CaseAction.CHANGE_STATUS, CaseAction.SHARE, CaseAction.CURATE):
        assert not Case.objects.actionable_by(inactive, action).exists(), action
        assert not Case.objects.actionable_by(inactive.user, action).exists(), action
        assert not may(inactive, action, case)
        with pytest.raises(Refused):
            require(inactive, action, case)
    for capability in Capability:
        assert not can(inactive, capability), capability
    with pytest.raises(Refused):
        require_capability(inactive, Capability.COORDINATE, "not you")


def test_research_keys_are_managed_by_the_host_organisations_admins_only(people):
    host_admin = member(settings.HOST_ORGANISATION, "admin", "root@host.example")
    other_admin = member("ukweli", "admin", "root@ukweli.example")
    assert can(host_admin.member, Capability.MANAGE_RESEARCH_KEYS)
    assert can(host_admin.member.user, Capability.MANAGE_RESEARCH_KEYS)
    # Another organisation's admin administers, but does not open coalition data to outsiders.
    assert can(other_admin.member, Capability.ADMINISTER)
    assert not can(other_admin.member, Capability.MANAGE_RESEARCH_KEYS)
    for person in (people.secretariat, people.alice, people.amina):
        assert not can(person.member, Capability.MANAGE_RESEARCH_KEYS), person
    assert not can(AnonymousUser(), Capability.MANAGE_RESEARCH_KEYS)
    assert require_capability(host_admin.member, Capability.MANAGE_RESEARCH_KEYS, "no") == (
        host_admin.member
    )
    with pytest.raises(Refused, match="only the host's admins"):
        require_capability(
            other_admin.member, Capability.MANAGE_RESEARCH_KEYS, "only the host's admins"
        )


def test_capabilities_follow_the_role(people):
    assert can(people.secretariat.member, Capability.COORDINATE)
    assert not can(people.alice.member, Capability.COORDINATE)
    assert can(people.alice.member, Capability.REVIEW)
    assert not can(people.secretariat.member, Capability.REVIEW)
    assert can(people.amina.member, Capability.IMPORT_REPORTS)
    assert not can(people.amina.member, Capability.CURATE)
    assert not can(people.alice.member, Capability.ANSWER_REFERRALS)


@pytest.fixture
def sent_referral(people, make_report):
    """A referral of the host organisation's case to one platform, and two liaisons."""
    lara = liaison("metaplat", "lara@metaplat.example")
    tom = liaison("tokplat", "tom@tokplat.example")
    case = case_of(make_report(None, tlp="amber"))
    Case.objects.filter(pk=case.pk).update(status="decided")
    decision = Decision.objects.create(
        case=case,
        outcome=Outcome.NO_ACTION,
        public_reasons="Nothing to act on.",
        decided_by=people.secretariat.member.user,
    )
    referral = Referral.objects.create(
        case=case,
        decision=decision,
        recipient=Organisation.objects.get(slug="metaplat"),
        requested_action="remove",
        created_by=people.secretariat.member.user,
    )
    return referral, lara, tom


def test_a_liaison_may_answer_only_the_referrals_sent_to_their_organisation(people, sent_referral):
    referral, lara, tom = sent_referral
    assert may(lara.member, ReferralAction.RESPOND, referral)
    assert may(people.secretariat.member, ReferralAction.RESPOND, referral)  # the referrer
    for person in (tom, people.bob, people.alice):
        assert not may(person.member, ReferralAction.RESPOND, referral), person
    # Liaisons refer nothing: only the case owner's secretariat does.
    assert not may(lara.member, ReferralAction.REFER, referral.case)
    assert may(people.secretariat.member, ReferralAction.REFER, referral.case)
