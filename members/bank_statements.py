"""Bank statements imported as payments, on canto_portal.spreadsheets: one row a transfer,
matched to its invoice by number, with the preview, row errors and all or nothing of the
other imports.

Each row is saved through members.services.billing.save_payment, so a payment from a
statement meets the same rules as one recorded by hand: a refusal (void or waived invoice,
another currency, above the balance, a reference already recorded) is the row's error. The
file is one transaction, so rows for the same invoice count together against its balance.
A row is never an update: a reference already recorded is refused, not matched."""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from canto_portal.spreadsheets.cells import (
    ChoiceWidget,
    DecimalWidget,
    NaturalKeyWidget,
    plain_text,
)
from canto_portal.spreadsheets.resources import (
    SpreadsheetResource,
    choice_field,
    date_field,
    text_field,
)
from members.models import Invoice, Payment
from members.models.billing import Currency
from members.services import billing

# How an invoice number reads inside a bank's description, "Transfer CANTO-2026-0012 dues".
INVOICE_NUMBER = re.compile(r"\bCANTO-\d{4}-\d{4,}\b", re.IGNORECASE)


class InvoiceWidget(NaturalKeyWidget):
    """An invoice by its number, alone in the cell or within the bank's description."""

    hint = gettext_lazy("Use the invoice number as printed on the invoice, e.g. CANTO-2026-0001.")

    def __init__(self, **kwargs):
        super().__init__(Invoice, "number", **kwargs)

    def lookup(self, text, row):
        found = INVOICE_NUMBER.search(text)
        return self.find("number", found.group() if found else text)


class PaymentResource(SpreadsheetResource):
    """Payments received, from a bank statement; keyed by the bank's reference."""

    required_columns = ("reference", "invoice", "amount", "currency", "paid_on")
    key_columns = ("reference",)

    reference = text_field("reference")
    invoice = fields.Field(attribute="invoice", column_name="invoice", widget=InvoiceWidget())
    # For the reader of the export; a statement's own payer name is not checked.
    member = fields.Field(column_name="member", readonly=True)
    amount = fields.Field(attribute="amount", column_name="amount", widget=DecimalWidget())
    # The currency the statement states, never a default: another is refused.
    currency = fields.Field(
        attribute="currency", column_name="currency", widget=ChoiceWidget(Currency.choices)
    )
    paid_on = date_field("paid_on")
    method = choice_field(Payment, "method")

    class Meta(SpreadsheetResource.Meta):
        model = Payment
        import_id_fields = ["reference"]
        # Every row is a new payment.
        skip_unchanged = False
        report_skipped = False
        fields = ["reference", "invoice", "member", "amount", "currency", "paid_on", "method"]

    # save_payment checks both, with the messages of a payment recorded by hand.
    constraints_checked_here = ("payment_amount_positive", "payment_unique_reference")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._recorded_by = None

    def get_queryset(self):
        return Payment.objects.select_related("invoice__member")

    def dehydrate_member(self, payment):
        return payment.invoice.member.name

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._recorded_by = kwargs.get("user")

    def repeated_key_message(self, first: int) -> str:
        return _(
            "Row %(first)s of this file has the same bank reference. A bank "
            "gives each transfer its own reference: remove the repeated row."
        ) % {"first": first}

    def get_instance(self, instance_loader, row):
        if not plain_text(row.get("reference")):
            raise ValidationError(
                {
                    "reference": self.explain(
                        "reference",
                        _(
                            "Give the bank's reference of the transfer: it is what keeps a "
                            "statement from being imported twice."
                        ),
                    )
                }
            )
        return None

    def do_instance_save(self, instance, is_create):
        instance.recorded_by = self._recorded_by
        try:
            billing.save_payment(payment=instance)
        except billing.BillingRefused as refusal:
            message = self.explain(NON_FIELD_ERRORS, str(refusal))
            raise ValidationError({NON_FIELD_ERRORS: message}) from refusal
