"""The demo's money: dues rates for Full, Associate and Affiliate members, and a believable
run of invoices. Last year: all paid but one waived and one still open long enough to wait
in the lapse queue. This year: most paid, some partly paid, some overdue, one voided with its
credit note and issued again. Runs once: a second run finds the invoices and writes nothing."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from members.models import DuesRate, Invoice, MembershipCategory
from members.services import billing

RATES = {
    "Full": Decimal("5000.00"),
    "Associate": Decimal("2500.00"),
    "Affiliate": Decimal("1000.00"),
}


def seed_rates(today: datetime.date) -> None:
    for category in MembershipCategory.objects.filter(name__in=RATES):
        for year in range(today.year - 2, today.year + 1):
            DuesRate.objects.get_or_create(
                category=category, year=year, defaults={"amount": RATES[category.name]}
            )


def pay(invoice, amount, paid_on):
    billing.record_payment(
        invoice=invoice,
        amount=amount,
        paid_on=paid_on,
        reference=f"DEMO-{invoice.number}-{paid_on:%m%d}",
        by=None,
    )


@transaction.atomic
def seed(today: datetime.date, rng: random.Random | None = None) -> None:
    rng = rng or random.Random(2027)
    seed_rates(today)
    if Invoice.objects.filter(year__gte=today.year - 1).exists():
        return
    last_year = billing.issue_dues(
        year=today.year - 1, by=None, issued_on=datetime.date(today.year - 1, 1, 15)
    )
    for index, invoice in enumerate(last_year):
        if index == 0:
            continue  # still open: proposed for lapsing below
        if index == 1:
            billing.waive_invoice(
                invoice=invoice, reason="Hurricane relief agreed by the Board.", by=None
            )
            continue
        pay(invoice, invoice.total, invoice.issued_on + datetime.timedelta(rng.randint(5, 120)))
    issued_on = today - datetime.timedelta(days=75)
    for index, invoice in enumerate(
        billing.issue_dues(year=today.year, by=None, issued_on=issued_on)
    ):
        share = index % 10
        if index == 0:
            billing.void_invoice(
                invoice=invoice, reason="Issued under the wrong membership category.", by=None
            )
        elif share < 7:
            pay(invoice, invoice.total, issued_on + datetime.timedelta(rng.randint(3, 40)))
        elif share == 7:
            pay(invoice, invoice.total / 2, issued_on + datetime.timedelta(rng.randint(3, 40)))
    # The voided invoice's corrected successor.
    billing.issue_dues(year=today.year, by=None, issued_on=issued_on + datetime.timedelta(days=3))
    billing.propose_lapses(today=today)
