"""Failed logins are bounded per account, whichever addresses the guesses come from, and per
address; while an account's bound holds, its owner still gets in with a code sent by email,
and then gives the second factor as at any login."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.members.factories import ContactFactory, activate_totp, current_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
REFUSED = "Too many failed login attempts"


def address(n):
    return f"203.0.113.{n}"


def log_in(client, user, password, remote_addr, **extra):
    return client.post(
        reverse("account_login"),
        {"login": user.email, "password": password},
        REMOTE_ADDR=remote_addr,
        **extra,
    )


def guess_from_ten_addresses(client, user):
    for n in range(1, 11):
        response = log_in(client, user, "guess", address(n))
        assert REFUSED not in response.text


def emailed_code(mailoutbox):
    """The code in the last email sent, as its reader would copy it."""
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mailoutbox[-1].body, re.MULTILINE).group(1)


def log_in_by_code(client, user, mailoutbox, remote_addr):
    client.post(
        reverse("account_request_login_code"), {"email": user.email}, REMOTE_ADDR=remote_addr
    )
    assert mailoutbox[-1].to == [user.email]
    return client.post(
        reverse("account_confirm_login_code"),
        {"code": emailed_code(mailoutbox)},
        REMOTE_ADDR=remote_addr,
    )


def is_logged_in(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


def test_the_eleventh_wrong_password_from_a_new_address_is_refused(client, operator_a):
    guess_from_ten_addresses(client, operator_a)

    response = log_in(client, operator_a, "guess", address(11))

    assert REFUSED in response.text


def test_the_right_password_from_a_new_address_is_refused_while_the_account_is_bound(
    client, operator_a
):
    guess_from_ten_addresses(client, operator_a)

    log_in(client, operator_a, PASSWORD, address(11))

    assert not is_logged_in(client, operator_a)


def test_the_host_name_and_port_a_guess_is_sent_to_count_as_one_account(client, operator_a):
    for n in range(1, 11):
        log_in(client, operator_a, "guess", address(n), HTTP_HOST=f"localhost:{8000 + n}")

    response = log_in(client, operator_a, "guess", address(11), HTTP_HOST="127.0.0.1")

    assert REFUSED in response.text


def test_an_address_is_refused_after_ten_failures_against_different_accounts(client, member_a):
    targets = [ContactFactory(member=member_a, with_login=True).user for _n in range(11)]
    for target in targets[:10]:
        log_in(client, target, "guess", "192.0.2.66")

    response = log_in(client, targets[10], PASSWORD, "192.0.2.66")

    assert REFUSED in response.text


def test_failures_against_one_account_leave_other_accounts_open(client, operator_a, operator_b):
    guess_from_ten_addresses(client, operator_b)

    log_in(client, operator_a, PASSWORD, address(11))

    assert is_logged_in(client, operator_a)


def test_the_refusal_offers_a_code_by_email(client, operator_a):
    guess_from_ten_addresses(client, operator_a)

    response = log_in(client, operator_a, PASSWORD, address(11))

    assert f'href="{reverse("account_request_login_code")}"' in response.text


def test_the_owner_gets_in_by_an_emailed_code_while_the_account_is_bound(
    client, operator_a, mailoutbox
):
    guess_from_ten_addresses(client, operator_a)

    log_in_by_code(client, operator_a, mailoutbox, address(11))

    assert is_logged_in(client, operator_a)


@pytest.mark.parametrize("login", ["board_user", "secretariat_user"])
def test_a_login_by_code_still_asks_for_the_second_factor(client, login, request, mailoutbox):
    user = request.getfixturevalue(login)

    response = log_in_by_code(client, user, mailoutbox, address(11))

    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client, user)


def test_the_second_factor_completes_a_login_by_code(client, board_user, mailoutbox):
    Authenticator.objects.filter(user=board_user).delete()
    secret = activate_totp(board_user)
    log_in_by_code(client, board_user, mailoutbox, address(11))

    client.post(
        reverse("mfa_authenticate"), {"code": current_code(secret)}, REMOTE_ADDR=address(11)
    )

    assert is_logged_in(client, board_user)


def test_a_code_asked_for_an_address_without_a_login_sends_nothing(client, mailoutbox):
    response = client.post(
        reverse("account_request_login_code"), {"email": "stranger@elsewhere.example"}
    )

    # The same answer as for a known address, so that nobody learns who has a login.
    assert response["Location"] == reverse("account_confirm_login_code")
    assert mailoutbox == []


def test_a_switched_off_login_gets_no_code(client, operator_a, mailoutbox):
    operator_a.is_active = False
    operator_a.save()

    client.post(reverse("account_request_login_code"), {"email": operator_a.email})

    assert mailoutbox == []
