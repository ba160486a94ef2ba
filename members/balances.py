"""What a member owes: its balance per currency, the next due date and the invoices overdue,
as the dashboard, the invoices page and the member's attention panel show them. Computed once
and kept in the cache until an invoice or payment changes or the day turns."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from canto_portal.fragments import cached
from members.apps import MEMBERS
from members.models import Invoice


@dataclass
class BillingSummary:
    """The top of the dashboard: what the member owes, by when, and what is overdue."""

    balances: dict[str, Decimal] = field(default_factory=dict)
    next_due_on: datetime.date | None = None
    overdue: list[Invoice] = field(default_factory=list)

    @property
    def owes(self) -> bool:
        return bool(self.balances)


@dataclass(frozen=True)
class MemberBilling:
    """What a member's billing summary depends on, besides the day and the data."""

    member_pk: int


def billing_summary(member_pk: int) -> BillingSummary:
    """The member's balance, next due date and overdue invoices, kept in the cache until an
    invoice or payment changes or the day turns."""
    return cached(
        "dashboard-billing", compute_billing_summary, key=MemberBilling(member_pk), shows=[MEMBERS]
    )


def compute_billing_summary(key: MemberBilling) -> BillingSummary:
    """One query, however many invoices the member has."""
    invoices = Invoice.objects.of_member(key.member_pk).open().order_by("due_on", "pk")
    return summary_of(invoices, timezone.localdate())


def summary_of(invoices: Iterable[Invoice], today: datetime.date) -> BillingSummary:
    """The summary of `invoices`, each carrying what was paid on it (Invoice.paid): a page
    that lists them all has it without a query of its own. Only open invoices count, earliest
    due first."""
    balances: dict[str, Decimal] = defaultdict(Decimal)
    summary = BillingSummary()
    owed = sorted(
        (invoice for invoice in invoices if invoice.balance_due > 0),
        key=lambda invoice: (invoice.due_on, invoice.pk),
    )
    for invoice in owed:
        balances[invoice.currency] += invoice.balance_due
        if invoice.due_on < today:
            summary.overdue.append(invoice)
        elif summary.next_due_on is None:
            summary.next_due_on = invoice.due_on
    summary.balances = dict(balances)
    return summary
