"""The invoice QuerySet's two ways of telling what is unpaid: one invoice at a time (a
member's few) and at once across the register (the Secretariat's counts). They must agree."""

import datetime
from decimal import Decimal

import pytest
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


def test_overdue_across_the_register_agrees_with_each_invoice_judged_alone(invoices):
    each_alone = Invoice.objects.live().past_due().unpaid()

    assert set(Invoice.objects.overdue()) == set(each_alone)


def test_the_grouped_sum_finds_the_unpaid_invoices_each_invoice_finds(invoices):
    assert set(Invoice.objects.unpaid_grouped()) == set(Invoice.objects.unpaid())


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
