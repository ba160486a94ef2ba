"""The dues cycle's rules, one module per part of it, re-exported here: issuing the year's
dues, recording payments, voiding and waiving, reminders and lapse proposals. Each function
runs in one transaction: refused, it writes nothing, and says why in a message for the person
who tried."""

from members.services.billing.cycle import run_dues_cycle
from members.services.billing.documents import (
    credit_note_pdf,
    invoice_context,
    invoice_pdf,
    receipt_pdf,
)
from members.services.billing.issuing import (
    DuesPreview,
    issue_dues,
    issue_invoice,
    line_refusal,
    next_numbers,
    preview_dues,
)
from members.services.billing.lapsing import confirm_lapse, dismiss_lapse, propose_lapses
from members.services.billing.payments import (
    mirror_dues,
    payment_refusal,
    record_payment,
    save_payment,
    void_invoice,
    waive_invoice,
)
from members.services.billing.refused import BillingRefused
from members.services.billing.reminders import (
    billing_recipients,
    reminder_messages,
    reminders_due,
    send_due_reminders,
    send_reminder,
    send_reminder_again,
)

__all__ = [
    "BillingRefused",
    "DuesPreview",
    "billing_recipients",
    "confirm_lapse",
    "credit_note_pdf",
    "dismiss_lapse",
    "invoice_context",
    "invoice_pdf",
    "issue_dues",
    "issue_invoice",
    "line_refusal",
    "mirror_dues",
    "next_numbers",
    "payment_refusal",
    "preview_dues",
    "propose_lapses",
    "receipt_pdf",
    "record_payment",
    "reminder_messages",
    "reminders_due",
    "run_dues_cycle",
    "save_payment",
    "send_due_reminders",
    "send_reminder",
    "send_reminder_again",
    "void_invoice",
    "waive_invoice",
]
