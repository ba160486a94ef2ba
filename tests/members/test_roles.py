import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone

from members.models import Member
from members.roles import SECRETARIAT_GROUP, Roles
from tests.members.factories import BoardTermFactory, ContactFactory, UserFactory, activate_totp

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_has_no_role():
    roles = Roles(AnonymousUser())

    assert not (roles.is_secretariat or roles.is_board_member or roles.is_member_operator)
    assert not roles.may_use_portal and not roles.may_use_directory


def test_staff_in_the_secretariat_group_is_secretariat(secretariat_user):
    assert Roles(secretariat_user).is_secretariat


def test_staff_outside_the_group_is_not_secretariat():
    assert not Roles(UserFactory(is_staff=True)).is_secretariat


def test_group_member_without_staff_flag_is_not_secretariat():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))

    assert not Roles(user).is_secretariat


def test_inactive_secretariat_login_is_not_secretariat(secretariat_user):
    secretariat_user.is_active = False

    assert not Roles(secretariat_user).is_secretariat


def test_superuser_is_secretariat():
    assert Roles(UserFactory(is_staff=True, is_superuser=True)).is_secretariat


def test_contact_with_current_board_term_is_board_member(board_user):
    assert Roles(board_user).is_board_member


def test_contact_whose_board_term_ended_is_not_board_member():
    today = timezone.localdate()
    term = BoardTermFactory(
        contact=ContactFactory(with_login=True),
        starts_on=today - datetime.timedelta(days=800),
        ends_on=today - datetime.timedelta(days=1),
    )

    assert not Roles(term.contact.user).is_board_member


def test_contact_of_active_member_is_operator(operator_a):
    roles = Roles(operator_a)

    assert roles.is_member_operator and roles.may_use_directory and roles.may_use_portal


def test_member_admin_flag_makes_a_member_admin(member_admin_a):
    assert Roles(member_admin_a).is_member_admin


def test_operator_without_flag_is_not_member_admin(operator_a):
    assert not Roles(operator_a).is_member_admin


@pytest.mark.parametrize("status", [Member.Status.SUSPENDED, Member.Status.LAPSED])
def test_inactive_members_contact_keeps_portal_but_loses_operator_role(
    member_admin_a, member_a, status
):
    Member.objects.filter(pk=member_a.pk).update(status=status)
    roles = Roles(member_admin_a)

    assert roles.may_use_portal
    assert not roles.is_member_operator and not roles.is_member_admin
    assert not roles.may_use_directory


def test_one_login_holds_several_roles(board_user):
    contact = board_user.contact
    contact.is_member_admin = True
    contact.save()
    board_user.is_staff = True
    board_user.save()
    board_user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))

    roles = Roles(board_user)

    assert roles.is_secretariat and roles.is_board_member and roles.is_member_admin


@pytest.mark.parametrize(
    ("role", "required"),
    [("secretariat_user", True), ("board_user", True), ("operator_a", False)],
)
def test_mfa_is_required_of_secretariat_and_board_only(request, role, required):
    assert Roles(request.getfixturevalue(role)).requires_mfa is required


def test_has_mfa_reads_the_authenticator_of_a_contact(operator_a):
    assert not Roles(operator_a).has_mfa
    activate_totp(operator_a)

    assert Roles(operator_a).has_mfa


def test_has_mfa_reads_the_authenticator_of_staff(secretariat_user):
    assert Roles(secretariat_user).has_mfa


# Roles come from the cache: a change to the data they are read from takes effect on
# the login's next request.


def test_a_board_term_ended_after_a_first_request_ends_the_board_role(board_user):
    assert Roles(board_user).is_board_member
    term = board_user.contact.board_terms.get()
    term.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    term.save()

    assert not Roles(board_user).is_board_member


def test_leaving_the_secretariat_group_ends_the_secretariat_role(secretariat_user):
    assert Roles(secretariat_user).is_secretariat
    secretariat_user.groups.clear()

    assert not Roles(secretariat_user).is_secretariat


def test_a_contact_removed_after_a_first_request_leaves_no_operator_role(operator_a):
    assert Roles(operator_a).is_member_operator
    operator_a.contact.delete()

    assert not Roles(operator_a).is_member_operator


def test_an_authenticator_added_after_a_first_request_counts(operator_a):
    assert not Roles(operator_a).has_mfa
    activate_totp(operator_a)

    assert Roles(operator_a).has_mfa
