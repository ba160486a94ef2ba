"""Issuing: the year's dues for every active member, and one-off invoices with lines of their
own, all numbered in one sequence a year."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.models import Dues, DuesRate, Invoice, InvoiceLine, InvoiceNumberSequence, Member
from members.models.billing import invoice_number
from members.services.billing.documents import billing_languages
from members.services.billing.refused import BillingRefused


@dataclass
class DuesPreview:
    """What issuing a year's dues would do: who gets an invoice, for how much."""

    year: int
    invoices: list[tuple[Member, DuesRate]] = field(default_factory=list)
    # Active members whose category has no rate for the year: they get no invoice.
    without_rate: list[Member] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.invoices)

    @property
    def totals(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for _member, rate in self.invoices:
            totals[rate.currency] += rate.amount
        return dict(totals)


def preview_dues(*, year: int) -> DuesPreview:
    """Active members without a live dues invoice for `year`, with their category's rate."""
    rates = {rate.category_id: rate for rate in DuesRate.objects.filter(year=year)}
    invoiced = Invoice.objects.dues().filter(year=year, voided_on__isnull=True)
    members = (
        Member.objects.active()
        .exclude(pk__in=invoiced.values("member"))
        .select_related("category")
        .order_by("name", "pk")
    )
    preview = DuesPreview(year=year)
    for member in members:
        rate = rates.get(member.category_id)
        if rate is None:
            preview.without_rate.append(member)
        else:
            preview.invoices.append((member, rate))
    return preview


def next_numbers(*, year: int, count: int) -> list[str]:
    """`count` numbers following the year's last, its sequence row locked until the
    transaction ends: a second issuer waits here, then continues after the first's numbers."""
    InvoiceNumberSequence.objects.bulk_create(
        [InvoiceNumberSequence(year=year)], ignore_conflicts=True
    )
    sequence = InvoiceNumberSequence.objects.select_for_update().get(year=year)
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return [invoice_number(year, n) for n in range(first, first + count)]


@transaction.atomic
def issue_dues(*, year: int, by, issued_on: datetime.date | None = None) -> list[Invoice]:
    """One dues invoice for each active member that has none for `year`; a second run
    creates nothing. PDFs are rendered when first needed, not here."""
    issued_on = issued_on or timezone.localdate()
    if not DuesRate.objects.filter(year=year).exists():
        raise BillingRefused(_("There are no dues rates for %(year)s yet.") % {"year": year})
    # Taken before reading who is owed, so a second issuer at the same time reads after the
    # first one's invoices are committed and finds nobody left.
    next_numbers(year=year, count=0)
    preview = preview_dues(year=year)
    if not preview.invoices:
        return []
    numbers = next_numbers(year=year, count=preview.count)
    due_on = issued_on + datetime.timedelta(days=settings.DUES_NET_DAYS)
    members = [member for member, _rate in preview.invoices]
    records = {dues.member_id: dues for dues in Dues.objects.filter(year=year, member__in=members)}
    new_records = [
        Dues(member=member, year=year, amount=rate.amount, currency=rate.currency)
        for member, rate in preview.invoices
        if member.pk not in records
    ]
    records.update({dues.member_id: dues for dues in Dues.objects.bulk_create(new_records)})
    invoices = Invoice.objects.bulk_create(
        Invoice(
            member=member,
            dues=records[member.pk],
            kind=Invoice.Kind.DUES,
            year=year,
            number=number,
            issued_on=issued_on,
            due_on=due_on,
            currency=rate.currency,
            total=rate.amount,
            issued_by=by,
        )
        for (member, rate), number in zip(preview.invoices, numbers, strict=True)
    )
    languages = billing_languages(members)
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            description=dues_line(member, year=year, language=languages[member.pk]),
            quantity=1,
            unit_price=rate.amount,
            amount=rate.amount,
        )
        for invoice, (member, rate) in zip(invoices, preview.invoices, strict=True)
    )
    return invoices


def dues_line(member: Member, *, year: int, language: str) -> str:
    """The dues line as the invoice keeps it, in the language the member's invoices are in."""
    with translation.override(language):
        return _("Annual dues %(year)s, %(category)s member") % {
            "year": year,
            "category": member.category.name,
        }


def line_refusal(line: InvoiceLine) -> str | None:
    if not line.description.strip():
        return _("Each line needs a description.")
    if line.quantity < 1 or line.unit_price <= 0:
        return _("Line “%(line)s”: the quantity must be at least 1 and the price above zero.") % {
            "line": line.description.strip()
        }
    return None


@transaction.atomic
def issue_invoice(
    *,
    member: Member,
    lines: list[InvoiceLine],
    currency: str,
    by,
    issued_on: datetime.date | None = None,
) -> Invoice:
    """A one-off invoice with lines of its own (a conference package, say), numbered in the
    same sequence as the dues; `lines` are unsaved, their amounts worked out here. Its
    reminders then go like any invoice's."""
    issued_on = issued_on or timezone.localdate()
    if not lines:
        raise BillingRefused(_("Give at least one line."))
    for line in lines:
        if refusal := line_refusal(line):
            raise BillingRefused(refusal)
        line.description = line.description.strip()
        line.amount = line.quantity * line.unit_price
    (number,) = next_numbers(year=issued_on.year, count=1)
    invoice = Invoice.objects.create(
        member=member,
        kind=Invoice.Kind.OTHER,
        year=issued_on.year,
        number=number,
        issued_on=issued_on,
        due_on=issued_on + datetime.timedelta(days=settings.DUES_NET_DAYS),
        currency=currency,
        total=sum(line.amount for line in lines),
        issued_by=by,
    )
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    return invoice
