import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Invitation, Member
from tests.members.factories import ContactFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Tradewind-Harbour-2026"


@pytest.fixture
def invitation(contact_a, secretariat_user, mailoutbox):
    return services.invite(contact_a, invited_by=secretariat_user)


def accept_url(invitation):
    return reverse("members:invitation", args=[invitation.token])


def post_password(client, invitation, password=PASSWORD, repeat=None):
    return client.post(
        accept_url(invitation), {"password1": password, "password2": repeat or password}
    )


def expire_invitations():
    """As if the invitation had been sent eight days ago."""
    now = timezone.now()
    Invitation.objects.update(
        created_at=now - datetime.timedelta(days=8), expires_at=now - datetime.timedelta(days=1)
    )


def test_invite_stores_only_a_hash_of_the_token(invitation):
    stored = Invitation.objects.get()

    assert stored.token_hash == services.hash_token(invitation.token)
    assert invitation.token not in stored.token_hash


def test_invitation_expires_after_seven_days_by_default(invitation):
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)


def test_invitation_expiry_follows_the_setting(settings, contact_a, secretariat_user, mailoutbox):
    settings.INVITATION_EXPIRY_DAYS = 2

    invitation = services.invite(contact_a, invited_by=secretariat_user)

    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=2)


def test_invitation_email_has_text_and_html_with_the_link(invitation, mailoutbox):
    (message,) = mailoutbox

    assert message.to == [invitation.email]
    assert accept_url(invitation) in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert accept_url(invitation) in html
    assert "Alpha Telecom" in message.body


def test_invitation_records_who_sent_it(invitation, secretariat_user):
    assert Invitation.objects.get().invited_by == secretariat_user


def test_contact_with_a_login_cannot_be_invited(operator_a, secretariat_user, mailoutbox):
    with pytest.raises(services.InvitationError, match="already has a login"):
        services.invite(operator_a.contact, invited_by=secretariat_user)

    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_contact_of_a_resigned_member_cannot_be_invited(secretariat_user, mailoutbox):
    contact = ContactFactory()
    Member.objects.filter(pk=contact.member.pk).update(status=Member.Status.RESIGNED)
    contact.refresh_from_db()

    with pytest.raises(services.InvitationError, match="resigned"):
        services.invite(contact, invited_by=secretariat_user)


def test_failed_email_leaves_no_invitation(contact_a, secretariat_user, monkeypatch):
    def broken_send(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)

    with pytest.raises(OSError):
        services.invite(contact_a, invited_by=secretariat_user)

    assert not Invitation.objects.exists()


def test_valid_link_shows_the_password_form(client, invitation):
    response = client.get(accept_url(invitation))

    assert response.status_code == 200
    assert "Anya Baptistine" in response.text
    assert 'for="id_password1"' in response.text


def test_accepting_creates_a_login_named_by_the_email(client, invitation):
    response = post_password(client, invitation)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    user = get_user_model().objects.get(username=invitation.email)
    assert user.email == invitation.email
    assert user.check_password(PASSWORD)


def test_accepting_verifies_the_primary_email_address(client, invitation):
    post_password(client, invitation)

    address = EmailAddress.objects.get(email=invitation.email)
    assert address.verified and address.primary


def test_accepting_links_the_login_to_the_contact(client, invitation, contact_a):
    post_password(client, invitation)

    contact_a.refresh_from_db()
    assert contact_a.user.username == invitation.email


def test_accepting_marks_the_invitation_used(client, invitation):
    post_password(client, invitation)

    assert Invitation.objects.get().accepted_at is not None


def test_new_login_can_log_in_with_the_chosen_password(client, invitation):
    post_password(client, invitation)

    response = client.post(
        reverse("account_login"), {"login": invitation.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("members:portal")


def test_used_link_answers_410_and_changes_nothing(client, invitation):
    post_password(client, invitation)

    response = post_password(client, invitation, password="Another-Password-99")

    assert response.status_code == 410
    assert "already been used" in response.text
    assert get_user_model().objects.get(username=invitation.email).check_password(PASSWORD)


def test_expired_link_answers_410_and_says_what_to_do(client, invitation):
    expire_invitations()

    response = client.get(accept_url(invitation))

    assert response.status_code == 410
    assert "expired" in response.text
    assert "ask the CANTO Secretariat" in response.text.replace("Ask", "ask")


def test_expired_link_creates_no_login_when_posted(client, invitation):
    expire_invitations()

    response = post_password(client, invitation)

    assert response.status_code == 410
    assert not get_user_model().objects.filter(username=invitation.email).exists()


def test_tampered_link_answers_400(client, invitation):
    tampered = invitation.token[:-1] + ("A" if invitation.token[-1] != "A" else "B")

    response = client.get(reverse("members:invitation", args=[tampered]))

    assert response.status_code == 400
    assert "cannot be used" in response.text


def test_newer_invitation_replaces_the_older_link(client, invitation, secretariat_user):
    services.invite(invitation.contact, invited_by=secretariat_user)

    response = client.get(accept_url(invitation))

    assert response.status_code == 410
    assert "newer invitation" in response.text


def test_different_passwords_are_refused_and_create_nothing(client, invitation):
    response = post_password(client, invitation, repeat="Something-Else-123")

    assert response.status_code == 200
    assert "The two passwords differ." in response.text
    assert not get_user_model().objects.filter(username=invitation.email).exists()


def test_weak_password_is_refused_by_the_validators(client, invitation):
    response = post_password(client, invitation, password="12345678")

    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert Invitation.objects.get().accepted_at is None


def test_acceptance_is_all_or_nothing(client, invitation, monkeypatch):
    def broken_create(*args, **kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(EmailAddress.objects, "create", broken_create)

    with pytest.raises(RuntimeError):
        services.accept_invitation(invitation.token, PASSWORD)

    assert not get_user_model().objects.filter(username=invitation.email).exists()
    assert Invitation.objects.get().accepted_at is None


def test_posting_without_csrf_token_is_refused(invitation):
    client = Client(enforce_csrf_checks=True)

    response = post_password(client, invitation)

    assert response.status_code == 403
    assert not get_user_model().objects.filter(username=invitation.email).exists()


def test_secretariat_invites_contacts_from_the_admin(client, secretariat_user, contact_a):
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:members_contact_changelist"),
        {"action": "invite_contacts", "_selected_action": [contact_a.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 invitation sent." in response.text
    assert Invitation.objects.get().contact == contact_a


def test_admin_member_action_invites_only_contacts_without_login(
    client, secretariat_user, member_a, contact_a, operator_a, mailoutbox
):
    client.force_login(secretariat_user)

    client.post(
        reverse("admin:members_member_changelist"),
        {"action": "invite_member_contacts", "_selected_action": [member_a.pk]},
    )

    assert [message.to for message in mailoutbox] == [[contact_a.email]]


def test_admin_reports_why_a_contact_was_not_invited(client, secretariat_user, operator_a):
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:members_contact_changelist"),
        {"action": "invite_contacts", "_selected_action": [operator_a.contact.pk]},
        follow=True,
    )

    assert "already has a login" in response.text
    assert not Invitation.objects.exists()


def test_secretariat_lists_invitations_in_the_admin(client, secretariat_user, invitation):
    client.force_login(secretariat_user)

    response = client.get(reverse("admin:members_invitation_changelist"))

    assert response.status_code == 200
    assert invitation.email in response.text
