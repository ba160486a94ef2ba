"""The dues cycle's rules: issuing the year's dues, recording payments, voiding and waiving,
reminders and lapse proposals. Each function runs in one transaction: refused, it writes
nothing, and says why in a message for the person who tried.

Reminders go once per invoice and stage. Like agreements.alerts.sending, the reminder is
recorded first (its invoice and stage are unique) and the message sent inside the same
transaction, which commits only once the mail server accepted it: a re-run, or a second
sender at the same time, finds the record (or waits on the unique index until the first
commits) and sends nothing; a sender killed before the commit leaves nothing recorded, and the
next run sends it. Only a crash between the mail server's answer and the commit sends one
twice, with the same Message-ID, which mail clients use to drop the duplicate."""

import datetime
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canto_portal.links import absolute_url
from canto_portal.mail import email_message
from canto_portal.pdf import render_pdf
from members.models import (
    Contact,
    CreditNote,
    Dues,
    DuesRate,
    Invoice,
    InvoiceLine,
    InvoiceNumberSequence,
    InvoiceReminder,
    LapseProposal,
    Member,
    Payment,
    languages_of,
)
from members.models.billing import invoice_number

logger = logging.getLogger(__name__)

Stage = InvoiceReminder.Stage


class BillingRefused(Exception):
    """The change is refused; the message says why, for the person who tried."""


# Issuing ---------------------------------------------------------------------------------


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
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            description=_("Annual dues %(year)s, %(category)s member")
            % {"year": year, "category": member.category.name},
            quantity=1,
            unit_price=rate.amount,
            amount=rate.amount,
        )
        for invoice, (member, rate) in zip(invoices, preview.invoices, strict=True)
    )
    return invoices


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


# Reminders -------------------------------------------------------------------------------

REMINDER_SUBJECTS = {
    Stage.ISSUED: gettext_lazy("[CANTO] Invoice %(number)s"),
    Stage.BEFORE_DUE: gettext_lazy("[CANTO] Invoice %(number)s is due on %(due_on)s"),
    Stage.DUE: gettext_lazy("[CANTO] Invoice %(number)s is due today"),
    Stage.OVERDUE: gettext_lazy("[CANTO] Invoice %(number)s is overdue"),
    Stage.BY_HAND: gettext_lazy("[CANTO] Reminder: invoice %(number)s"),
}


def stage_due(invoice: Invoice, today: datetime.date) -> list[str]:
    """The automatic stages whose window contains `today`. A window lasts until the next
    stage's, so a run missed for a few days still sends, and an old invoice brought over
    from before invoices existed does not wake every stage at once."""
    due = invoice.due_on
    windows = [
        (Stage.ISSUED, invoice.issued_on, due),
        (Stage.BEFORE_DUE, due - datetime.timedelta(days=14), due),
        (Stage.DUE, due, due + datetime.timedelta(days=30)),
        (Stage.OVERDUE, due + datetime.timedelta(days=30), due + datetime.timedelta(days=60)),
    ]
    return [stage for stage, start, end in windows if start <= today < end]


def reminders_due(*, today: datetime.date) -> Iterator[tuple[Invoice, str]]:
    """(invoice, stage) pairs due today and not sent yet."""
    invoices = (
        Invoice.objects.open()
        .filter(issued_on__lte=today, due_on__gt=today - datetime.timedelta(days=60))
        .select_related("member")
        .prefetch_related("reminders")
        .order_by("pk")
    )
    for invoice in invoices:
        sent = {reminder.stage for reminder in invoice.reminders.all()}
        for stage in stage_due(invoice, today):
            if stage not in sent:
                yield invoice, stage


def billing_recipients(member: Member) -> list[str]:
    """The member's admins and billing contacts, each address once."""
    addresses = (
        Contact.objects.filter(member=member)
        .filter(Q(is_member_admin=True) | Q(role=Contact.Role.BILLING))
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(address.lower() for address in addresses))


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


def reminder_messages(invoice: Invoice, stage: str, recipients: list[str]):
    key = f"invoice.{invoice.pk}.{stage}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    context = {
        "invoice": invoice,
        "member": invoice.member,
        "stage": stage,
        "balance": invoice.balance_due,
        "invoice_url": absolute_url(invoice.get_absolute_url()),
        "pdf_url": absolute_url(invoice.get_pdf_url()),
    }
    by_language = defaultdict(list)
    languages = languages_of(recipients)
    for address in recipients:
        by_language[languages[address]].append(address)
    pdf = invoice_pdf(invoice) if stage == Stage.ISSUED else None
    for language, addresses in by_language.items():
        message = email_message(
            to=addresses,
            language=language,
            subject=REMINDER_SUBJECTS[Stage(stage)],
            subject_values={"number": invoice.number, "due_on": invoice.due_on},
            template="emails/invoice_reminder",
            context=context,
            message_key=f"invoice.{digest}.{language}",
        )
        if pdf is not None:
            message.attach(f"{invoice.number}.pdf", pdf, "application/pdf")
        yield message


def send_reminder(*, invoice: Invoice, stage: str, by=None) -> InvoiceReminder | None:
    """Records and sends one reminder in one transaction; None when this stage was sent
    already (by an earlier run or a concurrent one) or nobody can receive it."""
    recipients = billing_recipients(invoice.member)
    if not recipients:
        logger.warning("Invoice %s has nobody to remind; not sent.", invoice.number)
        return None
    try:
        with transaction.atomic():
            reminder = InvoiceReminder.objects.create(
                invoice=invoice, stage=stage, recipients=", ".join(recipients), sent_by=by
            )
            with translation.override(settings.LANGUAGE_CODE):
                for message in reminder_messages(invoice, stage, recipients):
                    message.send()
    except IntegrityError:
        return None
    return reminder


def send_due_reminders(*, today: datetime.date | None = None) -> list[InvoiceReminder]:
    """Every reminder due today and not sent before. One that fails is logged and left
    unrecorded for the next run; the others still go."""
    today = today or timezone.localdate()
    sent = []
    for invoice, stage in reminders_due(today=today):
        try:
            if reminder := send_reminder(invoice=invoice, stage=stage):
                sent.append(reminder)
        except Exception:
            logger.exception("Reminder %s of %s not sent; the next run retries.", stage, invoice)
    return sent


def send_reminder_again(*, invoice: Invoice, by) -> InvoiceReminder:
    """The Secretariat reminds a member by hand; logged like the automatic ones."""
    if invoice.balance_due <= 0:
        raise BillingRefused(
            _("Invoice %(number)s has nothing left to pay.") % {"number": invoice.number}
        )
    reminder = send_reminder(invoice=invoice, stage=Stage.BY_HAND, by=by)
    if reminder is None:
        raise BillingRefused(
            _("%(member)s has no member admin or billing contact to write to.")
            % {"member": invoice.member}
        )
    return reminder


# Lapsing ---------------------------------------------------------------------------------


@transaction.atomic
def propose_lapses(*, today: datetime.date | None = None) -> list[LapseProposal]:
    """A proposal for each active member with a dues invoice open more than
    DUES_LAPSE_PROPOSAL_DAYS past its due date, once per invoice. Nobody is lapsed here."""
    overdue = (
        Invoice.objects.dues()
        .overdue(on=today, days=settings.DUES_LAPSE_PROPOSAL_DAYS)
        .filter(member__status=Member.Status.ACTIVE)
        .exclude(lapse_proposals__isnull=False)
        .exclude(member__lapse_proposals__status=LapseProposal.Status.PENDING)
        .order_by("member", "due_on")
    )
    proposals: dict[int, LapseProposal] = {}
    for invoice in overdue:
        proposals.setdefault(
            invoice.member_id, LapseProposal(member_id=invoice.member_id, invoice=invoice)
        )
    for proposal in proposals.values():
        proposal.save()
    return list(proposals.values())


def pending(proposal: LapseProposal) -> LapseProposal:
    proposal = (
        LapseProposal.objects.select_for_update().select_related("member").get(pk=proposal.pk)
    )
    if proposal.status != LapseProposal.Status.PENDING:
        raise BillingRefused(_("This proposal has been decided already."))
    return proposal


@transaction.atomic
def confirm_lapse(*, proposal: LapseProposal, by, note: str = "") -> LapseProposal:
    """The Secretariat lapses the member."""
    proposal = pending(proposal)
    member = proposal.member
    if member.status != Member.Status.LAPSED:
        member.status = Member.Status.LAPSED
        if refusal := member.status_move_error():
            raise BillingRefused(refusal)
        member.save()
    return decide(proposal, LapseProposal.Status.CONFIRMED, by, note)


@transaction.atomic
def dismiss_lapse(*, proposal: LapseProposal, by, note: str = "") -> LapseProposal:
    return decide(pending(proposal), LapseProposal.Status.DISMISSED, by, note)


def decide(proposal: LapseProposal, status: str, by, note: str) -> LapseProposal:
    proposal.status = status
    proposal.decided_on = timezone.localdate()
    proposal.decided_by = by
    proposal.note = note
    proposal.save()
    return proposal


# The daily run ---------------------------------------------------------------------------


def run_dues_cycle(*, today: datetime.date | None = None) -> dict[str, int]:
    """What `manage.py run_dues_cycle` does each day: dues records follow their invoices,
    and long-overdue members are proposed for lapsing; the command then queues the reminders
    for the background worker."""
    today = today or timezone.localdate()
    with transaction.atomic():
        mirrored = mirror_dues(invoices=Invoice.objects.dues().live(), today=today)
    proposals = propose_lapses(today=today)
    return {"dues_updated": mirrored, "lapse_proposals": len(proposals)}
