"""What a member sees of its money: the dashboard's balance and overdue banner, its invoices,
their PDFs, receipts and credit notes, and a statement of the last five years.

Invoices are for the member's admins and billing contacts, and the Secretariat. Anyone else
gets 404 for an invoice, as for one that does not exist."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from canto_portal.fragments import fragment
from members.access import LOGGED_IN, AccessRule, hidden, requires
from members.apps import MEMBERS
from members.balances import MemberBilling, summary_of
from members.models import Contact, CreditNote, Invoice, Payment
from members.roles import Roles, roles_for
from members.services.billing import credit_note_pdf, invoice_context, invoice_pdf, receipt_pdf

STATEMENT_YEARS = 5


def handles_billing(roles: Roles) -> bool:
    """A member admin or billing contact of a member still on the register."""
    contact = roles.contact
    return (
        roles.may_use_portal
        and contact is not None
        and (contact.is_member_admin or contact.role == Contact.Role.BILLING)
    )


BILLING_CONTACT = AccessRule("member admin or billing contact", handles_billing)


def may_see_invoice(roles: Roles, invoice: Invoice) -> bool:
    return roles.is_secretariat or (
        handles_billing(roles) and roles.contact.member_id == invoice.member_id
    )


@dataclass
class StatementYear:
    year: int
    currency: str
    invoiced: Decimal = Decimal("0")
    paid: Decimal = Decimal("0")
    credited: Decimal = Decimal("0")

    @property
    def balance(self) -> Decimal:
        return self.invoiced - self.paid - self.credited


def statement(invoices: list[Invoice], today: datetime.date) -> list[StatementYear]:
    """Invoiced, paid and credited (void or waived) per year, the last five years."""
    rows: dict[tuple[int, str], StatementYear] = {}
    for invoice in invoices:
        if invoice.year <= today.year - STATEMENT_YEARS:
            continue
        key = (invoice.year, invoice.currency)
        row = rows.setdefault(key, StatementYear(invoice.year, invoice.currency))
        row.invoiced += invoice.total
        row.paid += invoice.paid
        if invoice.voided_on or invoice.waived_on:
            row.credited += invoice.total - invoice.paid
    return sorted(rows.values(), key=lambda row: (-row.year, row.currency))


@require_GET
@requires(BILLING_CONTACT)
def invoices(request):
    member = roles_for(request).member
    listing = fragment(
        "member-invoices",
        "members/includes/invoices_listing.html",
        invoices_listing,
        key=MemberBilling(member.pk),
        shows=[MEMBERS],
    )
    return TemplateResponse(
        request, "members/invoices.html", {"member": member, "listing": listing}
    )


def invoices_listing(key: MemberBilling) -> dict:
    """The member's balance, invoices with their receipts, and statement: the same for each of
    its billing contacts, so kept until an invoice or payment changes or the day turns."""
    today = timezone.localdate()
    rows = list(
        Invoice.objects.of_member(key.member_pk)
        .with_status(today)
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on")))
        .order_by("-issued_on", "-number")
    )
    return {
        "invoices": rows,
        "statement": statement(rows, today),
        "summary": summary_of(rows, today),
        "may_see_invoices": True,
        "on_invoices_page": True,
    }


def visible_invoice(request, number: str) -> Invoice:
    invoice = get_object_or_404(Invoice.objects.select_related("member"), number=number)
    if not may_see_invoice(roles_for(request), invoice):
        hidden(request)
    return invoice


@require_GET
@requires(LOGGED_IN)
def invoice_detail(request, number):
    invoice = visible_invoice(request, number)
    return TemplateResponse(request, "members/invoice_detail.html", invoice_context(invoice))


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@requires(LOGGED_IN)
def invoice_download(request, number):
    invoice = visible_invoice(request, number)
    return pdf_response(invoice_pdf(invoice), f"{invoice.number}.pdf")


@require_GET
@requires(LOGGED_IN)
def receipt_download(request, number, payment):
    invoice = visible_invoice(request, number)
    payment = get_object_or_404(invoice.payments, pk=payment)
    return pdf_response(
        receipt_pdf(invoice=invoice, payment=payment), f"{invoice.number}-receipt-{payment.pk}.pdf"
    )


@require_GET
@requires(LOGGED_IN)
def credit_note_download(request, number):
    invoice = visible_invoice(request, number)
    credit_note = get_object_or_404(
        CreditNote.objects.select_related("invoice__member"), invoice=invoice
    )
    return pdf_response(credit_note_pdf(credit_note), f"{credit_note.number}.pdf")
