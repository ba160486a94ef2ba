"""Each form of the member site that creates, sends or removes something acts once when a
double click sends it twice, and answers the second sending with where the first went."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from members import services
from members.models import Contact, Invitation
from tests.double_submit import post_twice, sent_twice_message
from tests.members.test_invitations import PASSWORD
from tests.members.test_views import contact_data

pytestmark = pytest.mark.django_db

PORTAL = reverse("members:portal")


@pytest.fixture
def admin_client(client, member_admin_a):
    client.force_login(member_admin_a)
    return client


def test_double_clicked_new_contact_is_saved_once(admin_client, member_a):
    first, second = post_twice(admin_client, reverse("members:contact_add"), contact_data())

    assert member_a.contacts.filter(email="rohan@alpha.example").count() == 1
    assert first["Location"] == second["Location"] == PORTAL


def test_second_click_on_a_new_contact_says_it_was_acted_on_once(admin_client):
    _first, second = post_twice(admin_client, reverse("members:contact_add"), contact_data())

    assert sent_twice_message(admin_client.get(second["Location"]))


def test_double_clicked_invitation_is_sent_once(admin_client, contact_a, mailoutbox):
    first, second = post_twice(admin_client, reverse("members:contact_invite", args=[contact_a.pk]))

    assert Invitation.objects.filter(contact=contact_a).count() == 1
    assert len(mailoutbox) == 1
    assert first["Location"] == second["Location"] == PORTAL


def test_double_clicked_removal_answers_with_the_portal_not_a_404(admin_client, contact_a):
    first, second = post_twice(admin_client, reverse("members:contact_remove", args=[contact_a.pk]))

    assert not Contact.objects.filter(pk=contact_a.pk).exists()
    assert first["Location"] == second["Location"] == PORTAL


def test_double_clicked_profile_save_records_one_change_in_the_history(admin_client, member_a):
    changes_before = member_a.history.count()
    data = {"city": "Port of Spain", "website": "https://alpha.example", "description": "New"}

    post_twice(admin_client, reverse("members:profile_edit"), data)

    assert member_a.history.count() == changes_before + 1


def test_double_clicked_invitation_acceptance_creates_one_login_and_no_error(
    client, contact_a, secretariat_user, mailoutbox
):
    invitation = services.invite(contact_a, invited_by=secretariat_user)
    url = reverse("members:invitation", args=[invitation.token])

    first, second = post_twice(client, url, {"password1": PASSWORD, "password2": PASSWORD})

    assert get_user_model().objects.filter(username=invitation.email).count() == 1
    assert first["Location"] == second["Location"] == reverse("account_login")
