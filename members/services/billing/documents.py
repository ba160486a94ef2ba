"""The documents a member keeps: an invoice's PDF, a payment's receipt and a void invoice's
credit note, and what an invoice's page and PDF show.

They are written in the billing contact's language, dates and numbers its way, whoever asks
for them: the copy the Secretariat downloads is the document the member received."""

from django.conf import settings
from django.utils import translation

from canto_portal.pdf import ARCHIVAL, render_pdf
from members.models import Contact, CreditNote, Invoice, Member, Payment, language_of_contact


def billing_language(member: Member) -> str:
    """The language of the member's invoices, receipts and credit notes: its billing
    contact's (the first recorded, if there are several), else its first member admin's, else
    the portal's."""
    contacts = Contact.objects.filter(member=member).order_by("pk")
    contact = (
        contacts.filter(role=Contact.Role.BILLING).first()
        or contacts.filter(is_member_admin=True).first()
    )
    return language_of_contact(contact) if contact else settings.LANGUAGE_CODE


def member_document(template_name: str, context: dict, *, member: Member) -> bytes:
    with translation.override(billing_language(member)):
        return render_pdf(template_name, context, variant=ARCHIVAL)


def invoice_pdf(invoice: Invoice) -> bytes:
    return member_document("pdf/invoice.html", invoice_context(invoice), member=invoice.member)


def receipt_pdf(*, invoice: Invoice, payment: Payment) -> bytes:
    context = {**invoice_context(invoice), "payment": payment}
    return member_document("pdf/receipt.html", context, member=invoice.member)


def credit_note_pdf(credit_note: CreditNote) -> bytes:
    invoice = credit_note.invoice
    context = {**invoice_context(invoice), "credit_note": credit_note}
    return member_document("pdf/credit_note.html", context, member=invoice.member)


def invoice_context(invoice: Invoice) -> dict:
    return {
        "invoice": invoice,
        "member": invoice.member,
        "lines": list(invoice.lines.all()),
        "payments": list(invoice.payments.order_by("paid_on", "pk")),
        "canto_address": settings.CANTO_POSTAL_ADDRESS,
        "bank_details": settings.CANTO_BANK_DETAILS,
    }
