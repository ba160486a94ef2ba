"""Account security: MFA (allauth TOTP and recovery codes) required of the Secretariat and board
members and optional for operators; login by email, rate limits, CSRF, password pages."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from members.adapters import InvitationOnlyAccountAdapter, PortalMFAAdapter
from members.roles import SECRETARIAT_GROUP
from tests.members.factories import (
    BoardTermFactory,
    ContactFactory,
    MemberFactory,
    UserFactory,
    activate_totp,
    current_code,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def board_without_mfa():
    return BoardTermFactory(contact=ContactFactory(with_login=True)).contact.user


@pytest.fixture
def secretariat_without_mfa():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return user


def password_login(client, user):
    """A real login: allauth asks for a recent one before an authenticator is added."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def confirm_password(client):
    """allauth asks for the password again (a reauthentication, not just a fresh login)
    before an authenticator is added."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "url",
    [
        reverse("members:directory"),
        reverse("members:portal"),
        reverse("agreements:register"),
        reverse("admin:index"),
    ],
)
def test_board_member_without_mfa_is_sent_to_set_it_up(client, board_without_mfa, url):
    client.force_login(board_without_mfa)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_secretariat_without_mfa_cannot_open_the_admin(client, secretariat_without_mfa):
    client.force_login(secretariat_without_mfa)

    response = client.get(reverse("admin:members_member_changelist"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_setup_asks_for_the_password_again_first(client, board_without_mfa):
    password_login(client, board_without_mfa)

    response = client.get(reverse("mfa_activate_totp"))

    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_setup_page_is_open_without_mfa(client, board_without_mfa):
    password_login(client, board_without_mfa)
    confirm_password(client)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    assert response.context["form"].secret


def test_logout_is_open_without_mfa(client, board_without_mfa):
    client.force_login(board_without_mfa)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_login_of_board_member_without_mfa_leads_to_setup(client, board_without_mfa):
    response = client.get(password_login(client, board_without_mfa)["Location"])

    assert response["Location"] == reverse("mfa_activate_totp")


def test_home_page_is_open_without_mfa(client, board_without_mfa):
    client.force_login(board_without_mfa)

    assert client.get(reverse("home")).status_code == 200


def test_operator_without_mfa_uses_the_portal(client, operator_a):
    client.force_login(operator_a)

    assert client.get(reverse("members:portal")).status_code == 200


def test_board_member_with_mfa_uses_the_directory(client, board_user):
    client.force_login(board_user)

    assert client.get(reverse("members:directory")).status_code == 200


def test_board_member_activates_totp_and_may_continue(client, board_without_mfa):
    password_login(client, board_without_mfa)
    confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=board_without_mfa, type=Authenticator.Type.TOTP
    ).exists()
    assert client.get(reverse("members:directory")).status_code == 200


def test_activation_also_creates_recovery_codes(client, board_without_mfa):
    password_login(client, board_without_mfa)
    confirm_password(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret

    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert Authenticator.objects.filter(
        user=board_without_mfa, type=Authenticator.Type.RECOVERY_CODES
    ).exists()


def test_board_member_cannot_switch_totp_off(board_user):
    totp = Authenticator.objects.get(user=board_user, type=Authenticator.Type.TOTP)

    assert not PortalMFAAdapter().can_delete_authenticator(totp)


def test_operator_may_switch_totp_off(operator_a):
    activate_totp(operator_a)
    totp = Authenticator.objects.get(user=operator_a, type=Authenticator.Type.TOTP)

    assert PortalMFAAdapter().can_delete_authenticator(totp)


def test_login_with_totp_asks_for_the_code(client, board_user):
    response = client.post(
        reverse("account_login"), {"login": board_user.email, "password": PASSWORD}
    )

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_login_completes_with_a_valid_code(client, board_user):
    Authenticator.objects.filter(user=board_user).delete()
    secret = activate_totp(board_user)
    client.post(reverse("account_login"), {"login": board_user.email, "password": PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert response["Location"] == reverse("members:portal")
    assert int(client.session["_auth_user_id"]) == board_user.pk


def test_login_with_a_wrong_code_is_refused(client, board_user):
    client.post(reverse("account_login"), {"login": board_user.email, "password": PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_is_by_email_address(client, operator_a):
    response = client.post(
        reverse("account_login"), {"login": operator_a.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == operator_a.pk


def test_signup_is_closed(client):
    response = client.get(reverse("account_signup"))

    assert "closed" in response.text.lower()


def test_repeated_failed_logins_are_rate_limited(client, operator_a):
    for _attempt in range(10):
        client.post(reverse("account_login"), {"login": operator_a.email, "password": "wrong"})

    # Even the right password is refused once the limit is reached.
    response = client.post(
        reverse("account_login"), {"login": operator_a.email, "password": PASSWORD}
    )

    assert "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_login_post_without_csrf_token_is_refused(operator_a):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("account_login"), {"login": operator_a.email, "password": PASSWORD}
    )

    assert response.status_code == 403


def test_login_page_has_a_label_for_every_field(client):
    response = client.get(reverse("account_login"))

    for field in ("id_login", "id_password", "id_remember"):
        assert f'for="{field}"' in response.text
    assert "by invitation" in response.text


def test_login_page_extends_the_portal_layout(client):
    response = client.get(reverse("account_login"))

    assert "portal.css" in response.text
    assert '<main id="main"' in response.text


def test_mfa_requirement_costs_no_query_of_its_own(
    client, board_user, member_a, django_assert_num_queries
):
    client.force_login(board_user)

    # The same eight queries as an operator's directory page: the MFA state comes with the
    # contact row that the role check loads anyway.
    with django_assert_num_queries(8):
        assert client.get(reverse("members:directory")).status_code == 200


def test_password_reset_emails_a_link(client, operator_a, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": operator_a.email})

    assert response.status_code == 302
    assert mailoutbox[0].to == [operator_a.email]


def test_password_change_page_uses_the_portal_layout(client, operator_a):
    client.force_login(operator_a)

    response = client.get(reverse("account_change_password"))

    assert response.status_code == 200
    assert '<main id="main"' in response.text


def test_secretariat_lands_in_the_back_office_after_login(rf, secretariat_user):
    request = rf.get("/")
    request.user = secretariat_user

    assert InvitationOnlyAccountAdapter(request).get_login_redirect_url(request) == reverse(
        "admin:index"
    )


@pytest.fixture
def staff_with_direct_permissions():
    """Back-office staff outside the Secretariat group, given permissions one by one."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_member", "change_member"], content_type__app_label="members"
        )
    )
    return user


def test_staff_with_direct_permissions_and_no_second_factor_cannot_open_the_admin(
    client, staff_with_direct_permissions
):
    member = MemberFactory(staff_notes="Late payer; do not extend credit.")
    client.force_login(staff_with_direct_permissions)

    response = client.get(reverse("admin:members_member_change", args=[member.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_superuser_without_a_second_factor_cannot_open_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:index"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_direct_permissions_and_a_second_factor_opens_the_admin(
    client, staff_with_direct_permissions
):
    member = MemberFactory(staff_notes="Late payer; do not extend credit.")
    activate_totp(staff_with_direct_permissions)
    client.force_login(staff_with_direct_permissions)

    response = client.get(reverse("admin:members_member_change", args=[member.pk]))

    assert response.status_code == 200
    assert "Late payer" in response.text


def test_staff_login_cannot_switch_its_last_totp_off(staff_with_direct_permissions):
    activate_totp(staff_with_direct_permissions)
    totp = Authenticator.objects.get(
        user=staff_with_direct_permissions, type=Authenticator.Type.TOTP
    )

    assert not PortalMFAAdapter().can_delete_authenticator(totp)
