"""Attacks from the security review, each tried and refused: a member admin taking over a
contact who holds a privileged role, the login limits behind the reverse proxy, and private
pages kept out of shared caches."""

import datetime
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Contact, Invitation
from members.roles import SECRETARIAT_GROUP
from tests.agreements.factories_seats import AppointmentFactory
from tests.members.factories import BoardTermFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Tradewind-Harbour-2026"
ATTACKER_EMAIL = "attacker@elsewhere.example"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def board_term(contact, starts_on):
    BoardTermFactory(
        contact=contact, starts_on=starts_on, ends_on=starts_on + datetime.timedelta(730)
    )


def council_seat(contact, starts_on):
    AppointmentFactory(
        contact=contact, starts_on=starts_on, ends_on=starts_on + datetime.timedelta(730)
    )


def back_office_login(contact):
    user = UserFactory(is_staff=True, username=contact.email)
    user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    Contact.objects.filter(pk=contact.pk).update(user=user)


# Every role that hangs from a contact and opens more than the contact's own organisation.
PRIVILEGED_ROLES = {
    "current-board-term": lambda contact: board_term(contact, days(-100)),
    "future-board-term": lambda contact: board_term(contact, days(30)),
    "current-council-seat": lambda contact: council_seat(contact, days(-100)),
    "future-council-seat": lambda contact: council_seat(contact, days(30)),
}
# Roles held by a contact without a login yet: the ones an invitation could be sent for.
ROLES_WITHOUT_LOGIN = list(PRIVILEGED_ROLES)
PRIVILEGED_ROLES["secretariat-login"] = back_office_login


@pytest.fixture(params=list(PRIVILEGED_ROLES))
def privileged_contact(request, member_a):
    """A contact of member A holding one privileged role."""
    contact = ContactFactory(member=member_a, name="Delroy Ashworth")
    PRIVILEGED_ROLES[request.param](contact)
    contact.refresh_from_db()
    return contact


@pytest.fixture(params=ROLES_WITHOUT_LOGIN)
def role_without_login(request):
    return PRIVILEGED_ROLES[request.param]


def contact_form_data(contact, **overrides):
    return {
        "name": contact.name,
        "email": contact.email,
        "job_title": contact.job_title,
        "role": contact.role,
        "receives_briefings": "on",
        **overrides,
    }


def accept(client, invitation):
    url = reverse("members:invitation", args=[invitation.token])
    return client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


# A member admin taking over a privileged contact ------------------------------------------------


def test_member_admin_cannot_change_the_email_of_a_privileged_contact(
    client, member_admin_a, privileged_contact
):
    client.force_login(member_admin_a)
    original = privileged_contact.email

    client.post(
        reverse("members:contact_edit", args=[privileged_contact.pk]),
        contact_form_data(privileged_contact, email=ATTACKER_EMAIL),
    )

    privileged_contact.refresh_from_db()
    assert privileged_contact.email == original


def test_contact_form_says_who_may_change_a_privileged_contacts_address(
    client, member_admin_a, privileged_contact
):
    client.force_login(member_admin_a)

    response = client.get(reverse("members:contact_edit", args=[privileged_contact.pk]))

    assert response.context["form"].fields["email"].disabled
    assert "Secretariat" in response.context["form"].fields["email"].help_text


def test_saving_a_new_address_for_a_privileged_contact_is_refused_to_a_member_admin(
    member_admin_a, privileged_contact
):
    privileged_contact.email = ATTACKER_EMAIL

    with pytest.raises(services.ContactChangeRefused, match="Secretariat"):
        services.save_contact(contact=privileged_contact, by=member_admin_a)

    assert not Contact.objects.filter(email=ATTACKER_EMAIL).exists()


def test_member_admin_cannot_invite_a_privileged_contact(
    client, member_admin_a, member_a, role_without_login, mailoutbox
):
    contact = ContactFactory(member=member_a)
    role_without_login(contact)
    client.force_login(member_admin_a)

    response = client.post(reverse("members:contact_invite", args=[contact.pk]), follow=True)

    assert "only the Secretariat" in response.text
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_invite_page_says_why_a_privileged_contact_cannot_be_invited(
    client, member_admin_a, member_a, role_without_login
):
    contact = ContactFactory(member=member_a)
    role_without_login(contact)
    client.force_login(member_admin_a)

    response = client.get(reverse("members:contact_invite", args=[contact.pk]))

    assert "only the Secretariat" in response.text
    assert "Send the invitation" not in response.text


def test_invitation_sent_by_a_member_admin_dies_when_the_contact_takes_a_privileged_role(
    client, member_admin_a, member_a, role_without_login, mailoutbox
):
    # The attacker's address is set and invited while the contact is nobody in particular;
    # the Secretariat then gives the contact a role.
    contact = ContactFactory(member=member_a, email=ATTACKER_EMAIL)
    invitation = services.invite(contact, invited_by=member_admin_a)
    role_without_login(contact)

    response = accept(client, invitation)

    assert response.status_code == 410
    assert not get_user_model().objects.filter(username=ATTACKER_EMAIL).exists()
    contact.refresh_from_db()
    assert contact.user is None


def test_member_admin_cannot_remove_a_privileged_contact(
    client, member_admin_a, privileged_contact
):
    client.force_login(member_admin_a)

    response = client.post(
        reverse("members:contact_remove", args=[privileged_contact.pk]), follow=True
    )

    assert "only the Secretariat" in response.text
    assert Contact.objects.filter(pk=privileged_contact.pk).exists()


def test_secretariat_changes_the_address_of_a_board_member_and_invites_them(
    client, secretariat_user, member_a, mailoutbox
):
    contact = ContactFactory(member=member_a)
    board_term(contact, days(-100))
    contact.email = "delroy.ashworth@alpha.example"

    services.save_contact(contact=contact, by=secretariat_user)
    invitation = services.invite(contact, invited_by=secretariat_user)
    accept(client, invitation)

    contact.refresh_from_db()
    assert contact.user.email == "delroy.ashworth@alpha.example"
    assert mailoutbox[0].to == ["delroy.ashworth@alpha.example"]


def test_invitation_sent_to_an_earlier_address_cannot_be_accepted(
    client, secretariat_user, contact_a, mailoutbox
):
    invitation = services.invite(contact_a, invited_by=secretariat_user)
    # A change that does not go through the portal, such as the admin's list editing.
    Contact.objects.filter(pk=contact_a.pk).update(email="anya@alpha.example")

    response = accept(client, invitation)

    assert response.status_code == 410
    assert not get_user_model().objects.filter(username="anya@alpha.example").exists()


def test_a_new_address_withdraws_the_pending_invitation(
    client, member_admin_a, contact_a, mailoutbox
):
    invitation = services.invite(contact_a, invited_by=member_admin_a)
    contact_a.email = "anya@alpha.example"

    services.save_contact(contact=contact_a, by=member_admin_a)

    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


def test_a_new_contact_address_leaves_the_login_its_own(secretariat_user, operator_a):
    contact = operator_a.contact
    contact.email = "someone.else@elsewhere.example"

    services.save_contact(contact=contact, by=secretariat_user)

    operator_a.refresh_from_db()
    assert operator_a.email != "someone.else@elsewhere.example"
    assert operator_a.username != "someone.else@elsewhere.example"


def test_member_admin_cannot_change_the_address_of_a_colleague_with_a_login(
    member_admin_a, operator_a
):
    contact = operator_a.contact
    contact.email = ATTACKER_EMAIL

    with pytest.raises(services.ContactChangeRefused, match="login"):
        services.save_contact(contact=contact, by=member_admin_a)


def test_ended_board_term_and_seat_leave_a_contact_to_its_member_admin(member_a):
    contact = ContactFactory(member=member_a)
    board_term(contact, days(-1000))
    council_seat(contact, days(-1000))

    assert not contact.holds_privileged_role()


def test_withdrawn_council_seat_leaves_a_contact_to_its_member_admin(member_a):
    from agreements.models import Appointment

    contact = ContactFactory(member=member_a)
    AppointmentFactory(
        contact=contact,
        starts_on=days(30),
        ends_on=days(760),
        status=Appointment.Status.WITHDRAWN,
    )

    assert not contact.holds_privileged_role()


# Login limits behind the reverse proxy --------------------------------------------------------

BEHIND_PROXY = {"REMOTE_ADDR": "10.0.0.2"}
PRINT_PROXY_COUNT = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"


def log_in(client, user, password, address):
    """A login posted through the proxy, which appends the client's address to the header."""
    return client.post(
        reverse("account_login"),
        {"login": user.email, "password": password},
        HTTP_X_FORWARDED_FOR=address,
        **BEHIND_PROXY,
    )


def is_logged_in(client, user):
    return client.session.get("_auth_user_id") == str(user.pk)


@pytest.fixture
def one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def test_failed_logins_from_many_clients_behind_the_proxy_do_not_throttle_another(
    client, one_proxy, operator_a, operator_b
):
    for n in range(6):
        log_in(client, operator_b, "wrong", f"203.0.113.{n + 1}")

    log_in(client, operator_a, PASSWORD, "198.51.100.7")

    assert is_logged_in(client, operator_a)


def test_guesses_from_many_clients_behind_the_proxy_count_against_the_account(
    client, one_proxy, board_user
):
    for n in range(10):
        log_in(client, board_user, "guess", f"203.0.113.{n + 1}")

    response = log_in(client, board_user, PASSWORD, "198.51.100.7")

    assert "Too many failed login attempts" in response.text
    assert not is_logged_in(client, board_user)


def test_a_guesser_trying_many_accounts_is_stopped_at_their_address(client, one_proxy, member_a):
    targets = [ContactFactory(member=member_a, with_login=True).user for _n in range(11)]
    for target in targets[:10]:
        log_in(client, target, "guess", "192.0.2.66")

    response = log_in(client, targets[10], PASSWORD, "192.0.2.66")

    assert "Too many failed login attempts" in response.text


def test_the_number_of_trusted_proxies_is_read_from_the_environment():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + PRINT_PROXY_COUNT],
        env=os.environ
        | {"DJANGO_SETTINGS_MODULE": "canto_portal.settings"}
        | {"TRUSTED_PROXY_COUNT": "1"},
        capture_output=True,
        text=True,
    )

    assert result.stdout.strip() == "1", result.stderr


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_configured(client, member_a):
    # Without the setting anyone could write the header and pose as a new client each time.
    targets = [ContactFactory(member=member_a, with_login=True).user for _n in range(11)]
    for n, target in enumerate(targets[:10]):
        log_in(client, target, "guess", f"203.0.113.{n + 1}")

    response = log_in(client, targets[10], PASSWORD, "203.0.113.99")

    assert "Too many failed login attempts" in response.text


# Private pages and shared caches --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [reverse("members:portal"), reverse("members:directory"), reverse("account_change_password")],
)
def test_pages_for_a_logged_in_visitor_are_private_and_not_stored(client, operator_a, url):
    client.force_login(operator_a)

    response = client.get(url)

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_back_office_pages_are_private_and_not_stored(client, secretariat_user):
    client.force_login(secretariat_user)

    response = client.get(reverse("admin:members_member_changelist"))

    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_public_home_page_is_not_marked_private_for_anonymous_visitors(client):
    response = client.get(reverse("home"))

    assert "private" not in response.get("Cache-Control", "")
