"""The documents a member keeps: an invoice's PDF, a payment's receipt and a void invoice's
credit note, and what an invoice's page and PDF show.

They are written in the billing contact's language, dates and numbers its way, whoever asks
for them: the copy the Secretariat downloads is the document the member received."""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from canto_portal.pdf import ARCHIVAL, render_pdf
from members.models import Contact, CreditNote, Invoice, Member, Payment, languages_of


def billing_languages(members: Iterable[Member]) -> dict[int, str]:
    """The language of each member's invoices, receipts and credit notes, by the member's
    key: its billing contact's (the first recorded, if there are several), else its first
    member admin's, else the portal's; each contact's the way their emails' is chosen."""
    members = list(members)
    contacts = (
        Contact.objects.filter(member__in=members)
        .filter(Q(role=Contact.Role.BILLING) | Q(is_member_admin=True))
        .order_by("pk")
        .values_list("member_id", "email", "role")
    )
    addresses: dict[int, str] = {}
    for member_id, email, _role in sorted(contacts, key=lambda row: row[2] != Contact.Role.BILLING):
        addresses.setdefault(member_id, email)
    languages = languages_of(addresses.values())
    default = settings.LANGUAGE_CODE
    return {member.pk: languages.get(addresses.get(member.pk, ""), default) for member in members}


def member_document(template_name: str, context: dict, *, member: Member) -> bytes:
    with translation.override(billing_languages([member])[member.pk]):
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
