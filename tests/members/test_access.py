"""The role × URL matrix of the member site: every URL, every role, the status it answers.

Access is enforced by each view on the server; hiding links is never the only guard. A login
without the role gets 403; another organisation's private objects answer 404."""

import pytest
from django.urls import reverse

from members.models import Contact, Member
from tests.members.factories import UserFactory, activate_totp

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "operator_a",
    "operator_b",
    "member_admin_a",
    "member_admin_b",
    "board_user",
    "secretariat_user",
]

# url key → expected status per role, in ROLES order. 302 for anonymous is a login redirect
# (checked below); 302 for member_admin_a on invite is the redirect after sending.
MATRIX = {
    "portal": [302, 200, 200, 200, 200, 200, 403],
    "profile_edit": [302, 403, 403, 200, 200, 403, 403],
    "contact_add": [302, 403, 403, 200, 200, 403, 403],
    "contact_edit": [302, 403, 403, 200, 404, 403, 403],
    "contact_remove": [302, 403, 403, 200, 404, 403, 403],
    "contact_invite": [302, 403, 403, 302, 404, 403, 403],
    "directory": [302, 200, 200, 200, 200, 200, 200],
    "detail": [302, 200, 200, 200, 200, 200, 200],
    "invitation_tampered": [400, 400, 400, 400, 400, 400, 400],
}


def request_for(key, member_a, contact_a):
    """(method, path) of the URL under test; contact pages target a contact of member A."""
    if key.startswith("contact_") and key != "contact_add":
        return ("post" if key == "contact_invite" else "get"), reverse(
            f"members:{key}", args=[contact_a.pk]
        )
    if key == "detail":
        return "get", reverse("members:detail", args=[member_a.slug])
    if key == "invitation_tampered":
        return "get", reverse("members:invitation", args=["not-a-token-we-sent"])
    return "get", reverse(f"members:{key}")


@pytest.mark.parametrize("key", MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_status(client, request, role, key, member_a, contact_a, mailoutbox):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method, path = request_for(key, member_a, contact_a)

    response = getattr(client, method)(path)

    expected = MATRIX[key][ROLES.index(role)]
    assert response.status_code == expected
    if role == "anonymous" and expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("key", ["portal", "directory", "detail", "contact_add"])
def test_login_without_any_role_is_refused(client, key, member_a, contact_a):
    client.force_login(UserFactory())
    method, path = request_for(key, member_a, contact_a)

    response = getattr(client, method)(path)

    assert response.status_code == 403
    assert "not open to your login" in response.text


@pytest.fixture
def staff_outside_the_secretariat(db):
    user = UserFactory(is_staff=True)
    activate_totp(user)
    return user


@pytest.mark.parametrize("role", ["secretariat_user", "staff_outside_the_secretariat"])
def test_back_office_login_refused_on_the_portal_is_pointed_to_the_back_office(
    client, request, role
):
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse("members:portal"))

    assert response.status_code == 403
    assert f'href="{reverse("admin:index")}"' in response.text
    assert "Go to the back office" in response.text


@pytest.mark.parametrize(
    ("role", "key"), [("operator_a", "portal"), ("board_user", "profile_edit")]
)
def test_login_outside_the_back_office_is_not_pointed_to_it(client, request, role, key, member_a):
    if role == "operator_a":
        Member.objects.filter(pk=member_a.pk).update(status=Member.Status.RESIGNED)
    client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(f"members:{key}"))

    assert response.status_code == 403
    assert reverse("admin:index") not in response.text
    assert "ask the CANTO Secretariat" in response.text


def test_member_admin_cannot_edit_another_organisations_contact(client, member_admin_b, contact_a):
    client.force_login(member_admin_b)

    response = client.post(
        reverse("members:contact_edit", args=[contact_a.pk]),
        {"name": "Changed", "email": contact_a.email, "role": "other"},
    )

    assert response.status_code == 404
    assert Contact.objects.filter(pk=contact_a.pk).exists()
    assert contact_a.name == "Anya Baptistine"


def test_member_admin_cannot_remove_another_organisations_contact(
    client, member_admin_b, contact_a
):
    client.force_login(member_admin_b)

    response = client.post(reverse("members:contact_remove", args=[contact_a.pk]))

    assert response.status_code == 404
    assert Contact.objects.filter(pk=contact_a.pk).exists()


def test_invite_asks_first_and_sends_nothing_on_get(client, member_admin_a, contact_a, mailoutbox):
    client.force_login(member_admin_a)

    response = client.get(reverse("members:contact_invite", args=[contact_a.pk]))

    assert response.status_code == 200
    assert contact_a.email in response.text
    assert not mailoutbox
    assert not contact_a.invitations.exists()
