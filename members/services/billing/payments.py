"""Money against invoices: payments, voiding (with a credit note) and waiving, and the dues
records that follow what their invoice says."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import CreditNote, Dues, Invoice, Payment
from members.services.billing.refused import BillingRefused

# Dues records follow their invoice -------------------------------------------------------

DUES_STATUS = {
    Invoice.Status.ISSUED: Dues.Status.ISSUED,
    Invoice.Status.PARTLY_PAID: Dues.Status.ISSUED,
    Invoice.Status.OVERDUE: Dues.Status.OVERDUE,
    Invoice.Status.PAID: Dues.Status.PAID,
    Invoice.Status.WAIVED: Dues.Status.WAIVED,
}


def mirror_dues(*, invoices, today: datetime.date | None = None) -> int:
    """Writes each dues record's status (and payment date) from its live invoice, so that
    reports and exports that read `Dues` see what the money says. Returns how many changed."""
    changed = 0
    last_paid_on = (
        Payment.objects.filter(invoice=OuterRef("pk")).order_by("-paid_on").values("paid_on")[:1]
    )
    invoices = (
        invoices.filter(dues__isnull=False, voided_on__isnull=True)
        .with_status(today)
        .annotate(last_paid_on=Subquery(last_paid_on))
        .select_related("dues")
    )
    for invoice in invoices:
        status = DUES_STATUS[invoice.status]
        dues = invoice.dues
        paid_on = invoice.last_paid_on if status == Dues.Status.PAID else None
        if (dues.status, dues.paid_on) != (status, paid_on):
            Dues.objects.filter(pk=dues.pk).update(status=status, paid_on=paid_on)
            changed += 1
    return changed


# Payments, voiding, waiving --------------------------------------------------------------


def locked(invoice: Invoice) -> Invoice:
    """The invoice read again under a row lock: two payments at once see each other."""
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def payment_refusal(
    *, invoice: Invoice, amount: Decimal, currency: str, reference: str
) -> str | None:
    if amount <= 0:
        return _("The amount must be more than zero.")
    if invoice.voided_on:
        return _("Invoice %(number)s is void: no payment can be recorded on it.") % {
            "number": invoice.number
        }
    if invoice.waived_on:
        return _("Invoice %(number)s is waived: no payment can be recorded on it.") % {
            "number": invoice.number
        }
    if currency != invoice.currency:
        return _("Invoice %(number)s is in %(currency)s; this payment is in %(other)s.") % {
            "number": invoice.number,
            "currency": invoice.currency,
            "other": currency,
        }
    if amount > invoice.balance_due:
        return _("%(amount)s is more than the balance of invoice %(number)s (%(balance)s).") % {
            "amount": amount,
            "number": invoice.number,
            "balance": invoice.balance_due,
        }
    if reference and Payment.objects.filter(reference=reference).exists():
        return reference_taken(reference)
    return None


def reference_taken(reference: str) -> str:
    return _("A payment with bank reference %(reference)s is already recorded.") % {
        "reference": reference
    }


def record_payment(
    *,
    invoice: Invoice,
    amount: Decimal,
    paid_on: datetime.date,
    method: str = Payment.Method.BANK_TRANSFER,
    reference: str = "",
    currency: str | None = None,
    by,
) -> Payment:
    return save_payment(
        payment=Payment(
            invoice=invoice,
            amount=amount,
            currency=currency or invoice.currency,
            paid_on=paid_on,
            method=method,
            reference=reference,
            recorded_by=by,
        )
    )


@transaction.atomic
def save_payment(*, payment: Payment) -> Payment:
    """Saves a payment recorded by hand or read from a bank statement, under the same rules.
    Several payments on one invoice in one transaction (the rows of a statement) each see
    the ones before, so their sum is held to the balance."""
    invoice = payment.invoice = locked(payment.invoice)
    payment.reference = payment.reference.strip()
    if refusal := payment_refusal(
        invoice=invoice,
        amount=payment.amount,
        currency=payment.currency,
        reference=payment.reference,
    ):
        raise BillingRefused(refusal)
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError as error:
        # A second person recording the same transfer at the same moment.
        raise BillingRefused(reference_taken(payment.reference)) from error
    # In the payment's transaction, on the locked invoice: nobody adds to its sum in between.
    Invoice.objects.filter(pk=invoice.pk).update(paid=F("paid") + payment.amount)
    invoice.paid += payment.amount
    mirror_dues(invoices=Invoice.objects.filter(pk=invoice.pk))
    return payment


def closing_refusal(invoice: Invoice, reason: str) -> str | None:
    if not reason.strip():
        return _("Give the reason.")
    if invoice.voided_on:
        return _("Invoice %(number)s is already void.") % {"number": invoice.number}
    if invoice.waived_on:
        return _("Invoice %(number)s is already waived.") % {"number": invoice.number}
    return None


@transaction.atomic
def void_invoice(*, invoice: Invoice, reason: str, by) -> CreditNote:
    """Cancels an invoice issued by mistake; the credit note records what it no longer asks
    for. A dues invoice voided leaves room for a corrected one for the same year."""
    invoice = locked(invoice)
    if refusal := closing_refusal(invoice, reason):
        raise BillingRefused(refusal)
    if invoice.paid > 0:
        raise BillingRefused(
            _("Invoice %(number)s has payments; it cannot be voided.") % {"number": invoice.number}
        )
    today = timezone.localdate()
    invoice.voided_on, invoice.void_reason, invoice.closed_by = today, reason.strip(), by
    invoice.save(update_fields=["voided_on", "void_reason", "closed_by"])
    return CreditNote.objects.create(
        invoice=invoice,
        number=f"CN-{invoice.number}",
        issued_on=today,
        amount=invoice.total,
        reason=reason.strip(),
        issued_by=by,
    )


@transaction.atomic
def waive_invoice(*, invoice: Invoice, reason: str, by) -> Invoice:
    """The member owes nothing more on this invoice (hardship, a founding member's year...)."""
    invoice = locked(invoice)
    if refusal := closing_refusal(invoice, reason):
        raise BillingRefused(refusal)
    invoice.waived_on, invoice.waived_reason, invoice.closed_by = (
        timezone.localdate(),
        reason.strip(),
        by,
    )
    invoice.save(update_fields=["waived_on", "waived_reason", "closed_by"])
    mirror_dues(invoices=Invoice.objects.filter(pk=invoice.pk))
    return invoice
