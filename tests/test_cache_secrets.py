"""No secret reaches the shared cache: whatever a login, its second factor and the pages it
opens write there holds no password hash, session hash, TOTP secret or recovery code."""

import pickle

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.utils import decrypt
from django.urls import reverse

from tests.agreements.factories import AgreementFactory
from tests.agreements.factories_briefings import BriefingFactory
from tests.cache_contents import stored
from tests.members.factories import BoardTermFactory, ContactFactory, activate_totp, current_code
from tests.members.test_mfa import confirm_password, password_login

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("members:portal"),
    reverse("members:directory"),
    reverse("agreements:register"),
    reverse("agreements:representatives"),
    reverse("agreements:briefings"),
]


def cached_bytes():
    """Every key and value the caches hold, as the bytes they are stored as."""
    return b"".join(key.encode() + pickle.dumps(value) for _alias, key, value in stored())


def secrets_of(user):
    """The login's password hash and session hash, and its second factors' secrets: as
    stored (encrypted or not) and as a person types them."""
    user.refresh_from_db()
    found = [user.password, user.get_session_auth_hash()]
    for authenticator in Authenticator.objects.filter(user=user):
        if authenticator.type == Authenticator.Type.TOTP:
            found += [authenticator.data["secret"], decrypt(authenticator.data["secret"])]
        else:
            found += [authenticator.data["seed"], decrypt(authenticator.data["seed"])]
            found += RecoveryCodes(authenticator).get_unused_codes()
    return found


def open_pages(client, *pages):
    for page in pages:
        assert client.get(page).status_code == 200, page


def assert_no_secret_of(user, cached):
    secrets = secrets_of(user)
    assert len(secrets) > 4
    for secret in secrets:
        assert secret.encode() not in cached


def test_a_login_with_a_second_factor_and_its_pages_leave_no_secret_in_the_cache(
    client, board_user
):
    Authenticator.objects.filter(user=board_user).delete()
    secret = activate_totp(board_user)
    RecoveryCodes.activate(board_user)
    agreement = AgreementFactory()
    BriefingFactory(published=True)
    password_login(client, board_user)
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert client.get(reverse("members:portal")).status_code == 200

    open_pages(client, *PAGES, agreement.get_absolute_url())

    cached = cached_bytes()
    assert board_user.contact.member.name.encode() in cached
    assert_no_secret_of(board_user, cached)


def test_setting_up_a_second_factor_leaves_no_secret_in_the_cache(client, board_without_mfa):
    password_login(client, board_without_mfa)
    confirm_password(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    open_pages(client, *PAGES)

    cached = cached_bytes()
    assert secret.encode() not in cached
    assert_no_secret_of(board_without_mfa, cached)


def test_the_secretariat_in_the_admin_leaves_no_secret_in_the_cache(client, secretariat_user):
    client.force_login(secretariat_user)
    RecoveryCodes.activate(secretariat_user)

    open_pages(client, "/admin/members/member/", "/admin/members/member/?country=JM", *PAGES[1:])

    assert_no_secret_of(secretariat_user, cached_bytes())


@pytest.fixture
def board_without_mfa():
    return BoardTermFactory(contact=ContactFactory(with_login=True)).contact.user
