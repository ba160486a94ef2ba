import pytest
from django.contrib.auth.models import Group

from members.roles import SECRETARIAT_GROUP
from tests.members.factories import (
    BoardTermFactory,
    ContactFactory,
    MemberFactory,
    UserFactory,
    activate_totp,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def secretariat_user(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    activate_totp(user)
    return user


@pytest.fixture
def member_a(db):
    return MemberFactory(name="Alpha Telecom")


@pytest.fixture
def member_b(db):
    return MemberFactory(name="Bravo Networks")


@pytest.fixture
def operator_a(member_a):
    return ContactFactory(member=member_a, with_login=True).user


@pytest.fixture
def operator_b(member_b):
    return ContactFactory(member=member_b, with_login=True).user


@pytest.fixture
def member_admin_a(member_a):
    return ContactFactory(member=member_a, is_member_admin=True, with_login=True).user


@pytest.fixture
def board_user(db):
    term = BoardTermFactory(contact=ContactFactory(with_login=True))
    activate_totp(term.contact.user)
    return term.contact.user
