"""A member's balance: what its open invoices leave to pay, the next due date and the
invoices overdue, the same whether read on its own or summed from a list of the invoices."""

import datetime
from decimal import Decimal

import pytest

from members.balances import MemberBilling, compute_billing_summary, summary_of
from members.models import Invoice
from members.services import billing
from tests.members.billing.factories import dues_invoice

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def invoices(member_a):
    overdue = dues_invoice(member_a, year=2025, issued_on=datetime.date(2025, 1, 15))
    billing.record_payment(
        invoice=overdue, amount=Decimal("1000.00"), paid_on=TODAY, reference="P-1", by=None
    )
    paid = dues_invoice(member_a, year=2024, issued_on=datetime.date(2024, 1, 15))
    billing.record_payment(invoice=paid, amount=paid.total, paid_on=TODAY, reference="P-2", by=None)
    waived = dues_invoice(member_a, year=2023, issued_on=datetime.date(2023, 1, 15))
    billing.waive_invoice(invoice=waived, reason="Hurricane relief.", by=None)
    coming = dues_invoice(member_a, year=2026, issued_on=TODAY)
    return {"overdue": overdue, "coming": coming}


def test_summary_counts_only_what_open_invoices_leave_to_pay(member_a, invoices):
    listed = Invoice.objects.of_member(member_a).with_status(TODAY)
    summary = summary_of(listed, TODAY)
    assert summary.balances == {"USD": Decimal("9000.00")}
    assert [invoice.pk for invoice in summary.overdue] == [invoices["overdue"].pk]
    assert summary.next_due_on == invoices["coming"].due_on


def test_summary_of_a_list_is_the_members_summary(member_a, invoices, monkeypatch):
    monkeypatch.setattr("members.balances.timezone.localdate", lambda: TODAY)
    listed = Invoice.objects.of_member(member_a).with_status(TODAY)
    own = compute_billing_summary(MemberBilling(member_a.pk))
    from_list = summary_of(listed, TODAY)
    assert (own.balances, own.next_due_on) == (from_list.balances, from_list.next_due_on)
    assert [i.pk for i in own.overdue] == [i.pk for i in from_list.overdue]
