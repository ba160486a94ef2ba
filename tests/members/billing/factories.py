import datetime
from decimal import Decimal

from members.models import Contact, DuesRate, MembershipCategory
from members.services import billing
from tests.members.factories import ContactFactory, MemberFactory, UserFactory

YEAR = 2026
ISSUED_ON = datetime.date(2026, 1, 15)


def rate(category=None, year=YEAR, amount="5000.00", currency="USD"):
    category = category or MembershipCategory.objects.get_or_create(name="Full")[0]
    return DuesRate.objects.create(
        category=category, year=year, amount=Decimal(amount), currency=currency
    )


def dues_invoice(member=None, *, year=YEAR, issued_on=ISSUED_ON, amount="5000.00"):
    """A member's dues invoice for `year`, issued through the service like the Secretariat's."""
    member = member or MemberFactory()
    if not DuesRate.objects.filter(category=member.category, year=year).exists():
        rate(member.category, year, amount)
    issued = billing.issue_dues(year=year, by=UserFactory(is_staff=True), issued_on=issued_on)
    return next(invoice for invoice in issued if invoice.member_id == member.pk)


def partly_paid_invoice(member):
    """A dues invoice of 5000.00 USD with one payment of 1250.00 on it, bank reference
    RBL-0001."""
    invoice = dues_invoice(member)
    billing.record_payment(
        invoice=invoice,
        amount=Decimal("1250.00"),
        paid_on=datetime.date(2026, 2, 1),
        reference="RBL-0001",
        by=None,
    )
    return invoice


def billing_contact(member, **kwargs):
    return ContactFactory(member=member, role=Contact.Role.BILLING, **kwargs)
