"""The documents a member keeps: an invoice's PDF, and what its page and PDF show."""

from django.conf import settings

from canto_portal.pdf import render_pdf
from members.models import Invoice


def invoice_pdf(invoice: Invoice) -> bytes:
    return render_pdf("pdf/invoice.html", invoice_context(invoice))


def invoice_context(invoice: Invoice) -> dict:
    return {
        "invoice": invoice,
        "member": invoice.member,
        "lines": list(invoice.lines.all()),
        "payments": list(invoice.payments.order_by("paid_on", "pk")),
        "canto_address": settings.CANTO_POSTAL_ADDRESS,
        "bank_details": settings.CANTO_BANK_DETAILS,
    }
