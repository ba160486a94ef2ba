"""Forms say what went wrong at their top, and the login and second-factor pages start with
the keyboard in their first field."""

import re

import pytest
from django.urls import reverse

from tests.members.factories import UserFactory, activate_totp

pytestmark = pytest.mark.django_db


def field_tag(html, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_the_login_page_opens_with_the_address_field_focused(client):
    html = client.get(reverse("account_login")).content.decode()

    assert "autofocus" in field_tag(html, "login")


def test_the_second_factor_page_opens_with_the_code_field_focused(client):
    user = UserFactory(email="board@example.org")
    activate_totp(user)
    client.post(
        reverse("account_login"),
        {"login": "board@example.org", "password": "correct-horse-battery"},
    )

    html = client.get(reverse("mfa_authenticate")).content.decode()

    assert "autofocus" in field_tag(html, "code")


def test_a_form_with_errors_lists_them_at_the_top_linking_to_each_field(client):
    html = client.post(reverse("account_login"), {"login": "", "password": ""}).content.decode()

    summary = html[
        html.index('class="error-summary"') : html.index("</ul>", html.index("error-summary"))
    ]
    assert 'href="#id_login"' in summary
    assert 'href="#id_password"' in summary
    assert html.index("error-summary") < html.index('name="login"')
