"""The way through the login: password, then the authenticator code, then the page asked for."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.members.factories import activate_totp, current_code
from tests.members.test_mfa import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_secret(board_user):
    Authenticator.objects.filter(user=board_user).delete()
    return activate_totp(board_user)


@pytest.fixture
def secretariat_secret(secretariat_user):
    secretariat_user.set_password(PASSWORD)
    secretariat_user.save()
    Authenticator.objects.filter(user=secretariat_user).delete()
    return activate_totp(secretariat_user)


def log_in_from(client, url, user):
    """Opens `url` anonymously and follows the login form it is sent to, password first."""
    login_page = client.get(url, follow=True)
    assert login_page.request["PATH_INFO"] == reverse("account_login")
    response = client.post(
        reverse("account_login"),
        {
            "login": user.email,
            "password": PASSWORD,
            "next": login_page.context["redirect_field_value"],
        },
    )
    assert response["Location"] == reverse("mfa_authenticate")


def test_after_the_code_the_board_member_goes_straight_to_the_page_asked_for(
    client, board_user, board_secret
):
    log_in_from(client, reverse("members:directory"), board_user)

    response = client.post(
        reverse("mfa_authenticate"), {"code": current_code(board_secret)}, follow=True
    )

    assert response.redirect_chain == [(reverse("members:directory"), 302)]
    assert response.status_code == 200


def test_after_the_code_the_secretariat_goes_straight_to_the_admin_page_asked_for(
    client, secretariat_user, secretariat_secret
):
    wanted = reverse("admin:members_member_changelist")
    log_in_from(client, wanted, secretariat_user)

    response = client.post(
        reverse("mfa_authenticate"), {"code": current_code(secretariat_secret)}, follow=True
    )

    assert response.redirect_chain == [(wanted, 302)]
    assert response.status_code == 200


def test_after_a_wrong_code_the_right_one_still_leads_to_the_page_asked_for(
    client, board_user, board_secret
):
    log_in_from(client, reverse("members:directory"), board_user)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})

    response = client.post(
        reverse("mfa_authenticate"), {"code": current_code(board_secret)}, follow=True
    )

    assert response.redirect_chain == [(reverse("members:directory"), 302)]


def test_login_page_offers_the_password_reset_link_once(client):
    response = client.get(reverse("account_login"))

    assert response.content.decode().count(f'href="{reverse("account_reset_password")}"') == 1
