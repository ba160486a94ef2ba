import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.utils import translation

from agreements.models import AgreementDocument
from members.roles import SECRETARIAT_GROUP
from tests.members.factories import (
    BoardTermFactory,
    ContactFactory,
    MemberFactory,
    UserFactory,
    activate_totp,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached: fragments, sessions and rate limits included."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language: a request in another language leaves
    it active in the thread, and translated fields would then be written in that language."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tmp_private_storage(tmp_path, monkeypatch):
    """Documents written by a test go to a temporary folder, never to the project's private/.

    The FileField evaluates its storage once at import, so the storage's cached location is
    redirected instead of the STORAGES setting. InformationExchange attachments use the same
    storage object, so this covers them too."""
    storage = AgreementDocument._meta.get_field("file").storage
    monkeypatch.setattr(storage, "location", str(tmp_path))
    monkeypatch.setattr(storage, "base_location", str(tmp_path))
    return tmp_path


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


# Member site ------------------------------------------------------------------------


@pytest.fixture
def member_admin_b(member_b):
    return ContactFactory(member=member_b, is_member_admin=True, with_login=True).user


@pytest.fixture
def contact_a(member_a):
    """A contact of member A without a login: what member admins edit, remove and invite."""
    return ContactFactory(member=member_a, name="Anya Baptistine")
