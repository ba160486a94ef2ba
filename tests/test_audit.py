"""The audit trail: what it records, and that nobody can change or delete it."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from agreements.models import Confidentiality
from canto_portal.models import AuditAction, AuditEvent, AuditLogIsAppendOnly
from members.resources import MemberResource
from tests.agreements.factories import AgreementDocumentFactory, AgreementFactory
from tests.members.factories import UserFactory, activate_totp, current_code

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


def test_a_login_is_recorded_with_the_login_and_the_client_address(client, operator_a):
    client.post(
        reverse("account_login"),
        {"login": operator_a.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )

    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == operator_a
    assert event.client_address == "203.0.113.7"


def test_a_failed_login_is_recorded_with_the_account_tried_and_no_password(client, operator_a):
    client.post(reverse("account_login"), {"login": operator_a.email, "password": "wrong-pass"})

    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.detail == operator_a.email
    assert "wrong-pass" not in str(AuditEvent.objects.values())


def test_the_client_address_is_read_behind_the_trusted_proxy(client, operator_a, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    client.post(
        reverse("account_login"),
        {"login": operator_a.email, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )

    assert AuditEvent.objects.get(action=AuditAction.LOGIN).client_address == "198.51.100.4"


def test_a_second_factor_used_at_login_is_recorded(client, board_user):
    Authenticator.objects.filter(user=board_user).delete()
    secret = activate_totp(board_user)
    client.post(reverse("account_login"), {"login": board_user.email, "password": PASSWORD})

    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_USED, actor=board_user)


def test_downloading_a_board_only_document_is_recorded(client, board_user):
    document = AgreementDocumentFactory(confidentiality=Confidentiality.BOARD)
    client.force_login(board_user)

    client.get(reverse("agreements:document", args=[document.agreement.reference, document.pk]))

    event = AuditEvent.objects.get(action=AuditAction.DOWNLOAD)
    assert (event.actor, event.object_type, event.object_id) == (
        board_user,
        "agreements.agreementdocument",
        str(document.pk),
    )


def test_downloading_a_public_document_of_a_public_agreement_is_not_recorded(client):
    document = AgreementDocumentFactory(
        agreement=AgreementFactory(confidentiality=Confidentiality.PUBLIC),
        confidentiality=Confidentiality.PUBLIC,
    )

    response = client.get(
        reverse("agreements:document", args=[document.agreement.reference, document.pk])
    )

    assert response.status_code == 200
    assert not AuditEvent.objects.exists()


def test_exporting_the_register_is_recorded(client, board_user):
    client.force_login(board_user)

    client.get(reverse("agreements:register_export", args=["csv"]))

    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor == board_user
    assert event.detail == "agreements.agreement.csv"


def test_exporting_from_the_admin_is_recorded(client, secretariat_user):
    client.force_login(secretariat_user)

    fields = {f"memberresource_{name}": "on" for name in MemberResource().get_export_order()}

    client.post(reverse("admin:members_member_export"), {"format": "0", "resource": "0", **fields})

    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail.startswith("members.member")


def test_an_event_cannot_be_changed_by_code():
    event = AuditEvent.objects.create(action=AuditAction.LOGIN)
    event.detail = "rewritten"

    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.update(detail="rewritten")


def test_an_event_cannot_be_deleted_by_code():
    event = AuditEvent.objects.create(action=AuditAction.LOGIN)

    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_an_event_behind_the_models_back():
    event = AuditEvent.objects.create(action=AuditAction.LOGIN)
    table = AuditEvent._meta.db_table

    for sql in (f"UPDATE {table} SET detail = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)

    assert AuditEvent.objects.filter(pk=event.pk, detail="").exists()


def test_the_secretariat_reads_the_audit_trail_in_the_admin(client, secretariat_user):
    event = AuditEvent.objects.create(action=AuditAction.LOGIN, detail="seen")
    client.force_login(secretariat_user)

    listing = client.get(reverse("admin:canto_portal_auditevent_changelist"))
    detail = client.get(reverse("admin:canto_portal_auditevent_change", args=[event.pk]))

    assert listing.status_code == 200
    assert b"seen" in detail.content


def test_the_secretariat_can_neither_edit_nor_delete_an_event_in_the_admin(
    client, secretariat_user
):
    event = AuditEvent.objects.create(action=AuditAction.LOGIN, detail="kept")
    client.force_login(secretariat_user)

    edited = client.post(
        reverse("admin:canto_portal_auditevent_change", args=[event.pk]),
        {"action": AuditAction.EXPORT, "detail": "changed"},
    )
    deleted = client.post(
        reverse("admin:canto_portal_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:canto_portal_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )

    assert edited.status_code == 403
    assert deleted.status_code == 403
    assert bulk.status_code in {200, 302}
    assert AuditEvent.objects.filter(pk=event.pk, detail="kept").exists()


def test_not_even_a_superuser_may_edit_an_event_in_the_admin(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(superuser)
    event = AuditEvent.objects.create(action=AuditAction.LOGIN)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:canto_portal_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_pruning_deletes_only_the_events_older_than_the_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old = AuditEvent.objects.create(action=AuditAction.LOGIN, at=timezone.now() - timedelta(31))
    recent = AuditEvent.objects.create(action=AuditAction.LOGIN, at=timezone.now() - timedelta(29))

    call_command("prune_audit", stdout=StringIO())

    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
