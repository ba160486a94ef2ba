"""Every dues record entered so far becomes an invoice, with its payment when it was paid, so
that its status is derived from then on; and the Secretariat gets the billing permissions.

Numbers are given per year in the order of the members' names. A record entered as paid
gets one payment of its whole amount on its payment date; one entered as waived is waived;
one entered as overdue or issued stays open and is overdue once its due date is past. A record
of zero keeps its typed status: there is nothing to invoice."""

import datetime
from collections import defaultdict

from django.db import migrations

from canto_portal.migration_helpers import grant_to_secretariat, revoke_from_secretariat

BILLING_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("duesrate", "invoice", "payment", "creditnote", "lapseproposal")
    for action in ("view", "add", "change")
] + ["view_invoicereminder", "view_invoiceline", "add_invoicereminder"]


def forwards(apps, schema_editor):
    Dues = apps.get_model("members", "Dues")
    Invoice = apps.get_model("members", "Invoice")
    InvoiceLine = apps.get_model("members", "InvoiceLine")
    Payment = apps.get_model("members", "Payment")
    Sequence = apps.get_model("members", "InvoiceNumberSequence")
    by_year = defaultdict(list)
    for dues in (
        Dues.objects.filter(amount__gt=0)
        .select_related("member")
        .order_by("year", "member__name", "pk")
    ):
        by_year[dues.year].append(dues)
    for year, records in by_year.items():
        issued_on = datetime.date(year, 1, 15)
        for sequence, dues in enumerate(records, start=1):
            invoice = Invoice.objects.create(
                member_id=dues.member_id,
                dues=dues,
                kind="dues",
                year=year,
                number=f"CANTO-{year}-{sequence:04d}",
                issued_on=issued_on,
                due_on=issued_on + datetime.timedelta(days=30),
                currency=dues.currency,
                total=dues.amount,
                waived_on=issued_on if dues.status == "waived" else None,
                waived_reason="Recorded as waived before invoices."
                if dues.status == "waived"
                else "",
            )
            InvoiceLine.objects.create(
                invoice=invoice,
                description=f"Annual dues {year}",
                quantity=1,
                unit_price=dues.amount,
                amount=dues.amount,
            )
            if dues.status == "paid":
                Payment.objects.create(
                    invoice=invoice,
                    amount=dues.amount,
                    currency=dues.currency,
                    paid_on=dues.paid_on,
                    method="bank_transfer",
                )
        Sequence.objects.create(year=year, last_number=len(records))
    grant_to_secretariat(apps, "members", BILLING_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_from_secretariat(apps, "members", BILLING_PERMISSIONS)
    for name in ("Payment", "InvoiceLine", "Invoice", "InvoiceNumberSequence"):
        apps.get_model("members", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0008_billing")]

    operations = [migrations.RunPython(forwards, backwards)]
