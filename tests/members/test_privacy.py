"""A contact's personal data: the export, and anonymising a contact who has left."""

import datetime
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from canto_portal.models import AuditAction, AuditEvent
from members.models import BoardTerm, InvoiceReminder, Member
from members.privacy import anonymise_contact, export_personal_data
from members.services.people import invite
from tests.members.billing.factories import dues_invoice
from tests.members.factories import (
    BoardTermFactory,
    ContactFactory,
    MemberFactory,
    activate_totp,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def departed(member_a):
    """A contact who has left, with a login, an authenticator and a past board term."""
    contact = ContactFactory(
        member=member_a,
        name="Dana Leaver",
        email="dana@alpha.example",
        phone="+1 868 555 0101",
        with_login=True,
    )
    activate_totp(contact.user)
    today = timezone.localdate()
    BoardTermFactory(
        contact=contact,
        starts_on=today - datetime.timedelta(days=800),
        ends_on=today - datetime.timedelta(days=70),
    )
    return contact


def test_export_holds_the_contact_their_login_and_the_rows_that_point_at_them(
    departed, secretariat_user
):
    data = json.loads(export_personal_data(contact=departed, by=secretariat_user))

    models = {row["model"] for row in data["rows"]}
    assert {"members.contact", "auth.user", "members.boardterm", "account.emailaddress"} <= models
    assert "dana@alpha.example" in json.dumps(data)
    assert "+1 868 555 0101" in json.dumps(data)


def test_export_holds_no_password_hash_or_totp_secret(departed, secretariat_user):
    departed.user.authenticator_set.all().delete()
    secret = activate_totp(departed.user)

    exported = export_personal_data(contact=departed, by=secretariat_user)

    assert departed.user.password not in exported
    assert secret not in exported


def test_export_holds_the_invitations_but_not_their_token(member_a, secretariat_user):
    contact = ContactFactory(member=member_a)
    invitation = invite(contact, invited_by=secretariat_user)

    exported = export_personal_data(contact=contact, by=secretariat_user)

    assert "members.invitation" in exported
    assert invitation.token_hash not in exported
    assert invitation.token not in exported


def test_export_is_recorded_in_the_audit_trail(departed, secretariat_user):
    export_personal_data(contact=departed, by=secretariat_user)

    event = AuditEvent.objects.get(action=AuditAction.PRIVACY_EXPORT)
    assert (event.actor, event.object_id) == (secretariat_user, str(departed.pk))


def test_anonymising_replaces_name_email_and_phone_and_closes_the_login(departed, secretariat_user):
    anonymise_contact(contact=departed, by=secretariat_user)

    departed.refresh_from_db()
    departed.user.refresh_from_db()
    assert departed.name == f"Former contact #{departed.pk}"
    assert departed.email.endswith(".invalid")
    assert departed.phone == ""
    assert departed.user.email == departed.email
    assert not departed.user.is_active
    assert not departed.user.has_usable_password()
    assert not departed.user.authenticator_set.exists()


def test_anonymising_keeps_past_board_terms_under_the_placeholder(departed, secretariat_user):
    anonymise_contact(contact=departed, by=secretariat_user)

    term = BoardTerm.objects.get(contact=departed)
    assert term.contact.name == f"Former contact #{departed.pk}"


def test_anonymising_replaces_the_persons_details_in_live_rows_and_history_tables(
    departed, secretariat_user
):
    member = departed.member
    member.public_email = "dana@alpha.example"
    member.public_phone = "+1 868 555 0101"
    member.save()
    assert member.history.filter(public_email="dana@alpha.example").exists()

    anonymise_contact(contact=departed, by=secretariat_user)

    everywhere = list(Member.objects.values()) + list(Member.history.values())
    assert "dana@alpha.example" not in str(everywhere)
    assert "+1 868 555 0101" not in str(everywhere)


def test_anonymising_renames_the_contact_in_the_admins_log(departed, secretariat_user):
    LogEntry.objects.log_actions(
        user_id=secretariat_user.pk, queryset=[departed], action_flag=CHANGE, change_message=""
    )

    anonymise_contact(contact=departed, by=secretariat_user)

    assert LogEntry.objects.get().object_repr == f"Former contact #{departed.pk} (Alpha Telecom)"


def test_anonymising_replaces_the_address_in_lists_of_recipients(departed, secretariat_user):
    invoice = dues_invoice(departed.member)
    InvoiceReminder.objects.create(
        invoice=invoice,
        stage=InvoiceReminder.Stage.BY_HAND,
        recipients="billing@alpha.example, dana@alpha.example, joedana@alpha.example",
    )

    anonymise_contact(contact=departed, by=secretariat_user)

    assert InvoiceReminder.objects.get().recipients == (
        f"billing@alpha.example, former-contact-{departed.pk}@anonymised.invalid, "
        "joedana@alpha.example"
    )


def test_anonymising_is_recorded_in_the_audit_trail(departed, secretariat_user):
    anonymise_contact(contact=departed, by=secretariat_user)

    event = AuditEvent.objects.get(action=AuditAction.PRIVACY_ANONYMISE)
    assert (event.actor, event.object_id) == (secretariat_user, str(departed.pk))
    assert "Dana" not in str(AuditEvent.objects.values())


def test_anonymising_is_refused_for_a_contact_with_a_current_board_term(
    board_user, secretariat_user
):
    contact = board_user.contact

    with pytest.raises(ValidationError, match="board term"):
        anonymise_contact(contact=contact, by=secretariat_user)

    contact.refresh_from_db()
    assert not contact.name.startswith("Former contact")


def test_anonymising_is_refused_for_a_contact_with_a_board_term_still_to_come(secretariat_user):
    term = BoardTermFactory(starts_on=timezone.localdate() + datetime.timedelta(days=30))

    with pytest.raises(ValidationError):
        anonymise_contact(contact=term.contact, by=secretariat_user)


def test_the_secretariat_exports_a_contacts_data_from_the_admin(client, departed, secretariat_user):
    client.force_login(secretariat_user)

    response = client.post(
        reverse("admin:members_contact_changelist"),
        {"action": "export_personal_data_action", "_selected_action": [departed.pk]},
    )

    assert response["Content-Type"].startswith("application/json")
    assert "dana@alpha.example" in response.text


def test_the_secretariat_anonymises_a_contact_from_the_admin_after_confirming(
    client, departed, secretariat_user
):
    client.force_login(secretariat_user)
    changelist = reverse("admin:members_contact_changelist")
    choice = {"action": "anonymise_contact_action", "_selected_action": [departed.pk]}

    asked = client.post(changelist, choice)
    departed.refresh_from_db()
    assert departed.name == "Dana Leaver"
    assert b"Yes, anonymise" in asked.content

    client.post(changelist, {**choice, "confirmed": "yes"})
    departed.refresh_from_db()
    assert departed.name == f"Former contact #{departed.pk}"


def test_a_member_of_another_organisation_is_untouched_by_an_anonymisation(
    departed, secretariat_user
):
    other = MemberFactory(public_email="info@bravo.example")

    anonymise_contact(contact=departed, by=secretariat_user)

    other.refresh_from_db()
    assert other.public_email == "info@bravo.example"
