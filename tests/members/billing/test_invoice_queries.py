"""What the invoice QuerySet tells is unpaid and overdue, from the sum of payments each
invoice keeps, which must be the sum of its payments."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from members.models import Invoice, InvoiceReminder, Member
from members.services import billing
from tests.members.billing.factories import dues_invoice
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def due_days_ago(days, settings):
    settings.DUES_NET_DAYS = 30
    issued_on = timezone.localdate() - datetime.timedelta(days=30 + days)
    return dues_invoice(MemberFactory(), issued_on=issued_on)


def pay(invoice, amount):
    return billing.record_payment(
        invoice=invoice, amount=Decimal(amount), paid_on=timezone.localdate(), by=None
    )


@pytest.fixture
def invoices(settings):
    """Past due: one unpaid, one partly paid, one paid in two instalments, one waived."""
    unpaid, partly, instalments, waived = (due_days_ago(60, settings) for _ in range(4))
    pay(partly, "3000.00")
    pay(instalments, "2000.00")
    pay(instalments, "3000.00")
    billing.waive_invoice(invoice=waived, reason="Hardship", by=None)
    return {"unpaid": unpaid, "partly": partly, "instalments": instalments, "waived": waived}


def test_overdue_counts_unpaid_and_partly_paid_invoices_past_due(invoices):
    assert set(Invoice.objects.overdue()) == {invoices["unpaid"], invoices["partly"]}


def test_each_invoice_keeps_the_sum_of_its_payments(invoices):
    for invoice in Invoice.objects.prefetch_related("payments"):
        assert invoice.paid == sum((p.amount for p in invoice.payments.all()), Decimal("0"))


def test_unpaid_leaves_out_only_the_invoice_paid_in_full(invoices):
    assert set(Invoice.objects.unpaid()) == {
        invoices["unpaid"],
        invoices["partly"],
        invoices["waived"],
    }


def test_overdue_agrees_with_the_open_invoices_past_due(invoices):
    today = timezone.localdate()

    assert set(Invoice.objects.overdue()) == set(Invoice.objects.open().filter(due_on__lt=today))


def test_a_join_added_after_overdue_does_not_count_a_payment_twice(invoices):
    for invoice in invoices.values():
        for _ in range(2):
            InvoiceReminder.objects.create(
                invoice=invoice, stage=InvoiceReminder.Stage.BY_HAND, recipients="a@example.org"
            )

    with_reminders = Invoice.objects.overdue().filter(reminders__isnull=False).distinct()

    assert set(with_reminders) == {invoices["unpaid"], invoices["partly"]}


def test_the_register_filter_agrees_with_each_member_standing(invoices, settings):
    settings.DUES_GRACE_DAYS = 30
    owing = {invoices["unpaid"].member, invoices["partly"].member}

    assert set(Member.objects.not_in_good_standing()) == owing
    assert set(Member.objects.in_good_standing()) == set(Member.objects.all()) - owing
    assert {m for m in Member.objects.with_standing() if m.has_overdue_dues} == owing


def test_the_database_refuses_a_sum_paid_above_the_total(invoices):
    paid_in_full = Invoice.objects.filter(pk=invoices["instalments"].pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        paid_in_full.update(paid=F("total") + 1)
