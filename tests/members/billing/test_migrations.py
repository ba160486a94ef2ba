"""Upgrading keeps what was paid: each invoice's stored sum is filled from its payments."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from members.models import Invoice
from tests.members.factories import MemberFactory

BEFORE = [("members", "0010_payment_import_permissions")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upgrade_fills_each_invoices_paid_so_far_from_its_payments():
    member = MemberFactory()
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldInvoice, OldPayment = (
        old.get_model("members", "Invoice"),
        old.get_model("members", "Payment"),
    )
    issued_on = datetime.date(2026, 1, 15)
    paid_in_two, unpaid = (
        OldInvoice.objects.create(
            member_id=member.pk,
            kind=kind,
            year=2026,
            number=f"CANTO-2026-000{n}",
            issued_on=issued_on,
            due_on=issued_on + datetime.timedelta(days=30),
            total=Decimal("5000.00"),
        )
        for n, kind in [(1, "dues"), (2, "other")]
    )
    for n, amount in enumerate(["1000.00", "1500.00"]):
        OldPayment.objects.create(
            invoice_id=paid_in_two.pk, amount=Decimal(amount), paid_on=issued_on, reference=f"T{n}"
        )

    MigrationExecutor(connection).migrate(after)

    assert Invoice.objects.get(pk=paid_in_two.pk).paid == Decimal("2500.00")
    assert Invoice.objects.get(pk=unpaid.pk).paid == Decimal("0")
