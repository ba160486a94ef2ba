"""Reminders: the invoice's email, PDF attached, when it is issued, before and on its due date
and once overdue, and again by hand.

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

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canto_portal.links import absolute_url
from canto_portal.mail import email_message
from members.models import Contact, Invoice, InvoiceReminder, Member, languages_of
from members.services.billing.documents import invoice_pdf
from members.services.billing.refused import BillingRefused

logger = logging.getLogger(__name__)

Stage = InvoiceReminder.Stage

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
