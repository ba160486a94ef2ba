"""The Secretariat's side of the dues cycle: rates, issuing the year's dues with a preview,
invoices (read-only once issued) with payment, reminder, void and waive buttons, payments
and their import from bank statements, credit notes, the lapse proposals queue, and the
ageing and collection reports."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from canto_portal.spreadsheets.admin import SpreadsheetImportExportMixin
from members.bank_statements import PaymentResource
from members.models import (
    CreditNote,
    DuesRate,
    Invoice,
    InvoiceLine,
    InvoiceReminder,
    LapseProposal,
    Member,
    Payment,
)
from members.models.billing import Currency
from members.reports import REPORTS, report_response
from members.services import billing
from members.services.billing import BillingRefused
from members.tasks import send_dues_reminders


@admin.register(DuesRate)
class DuesRateAdmin(admin.ModelAdmin):
    list_display = ["category", "year", "amount", "currency"]
    list_filter = ["year", "category"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ["description", "quantity", "unit_price", "amount"]


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["paid_on", "amount", "currency", "method", "reference", "recorded_by"]


class ReminderInline(ReadOnlyInline):
    model = InvoiceReminder
    fields = ["stage", "sent_at", "recipients", "sent_by"]


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Bank reference"), max_length=80, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class IssueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1985, max_value=2100)


class OneOffInvoiceForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.order_by("name"))
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)


class LineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=999, initial=1)
    unit_price = forms.DecimalField(
        label=_("Unit price"), max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )


# Rows left blank are skipped; one line at least is asked for.
LineFormSet = forms.formset_factory(LineForm, extra=3, min_num=1, validate_min=True)


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "member", "year", "issued_on", "due_on", "total", "balance", "state"]
    list_filter = ["year", "kind", "currency"]
    search_fields = ["number", "member__name"]
    list_select_related = ["member"]
    inlines = [LineInline, PaymentInline, ReminderInline]
    readonly_fields = [
        "number",
        "member",
        "dues",
        "kind",
        "year",
        "issued_on",
        "due_on",
        "currency",
        "total",
        "state",
        "balance",
        "voided_on",
        "void_reason",
        "waived_on",
        "waived_reason",
        "issued_by",
        "closed_by",
    ]
    exclude = ["created_at"]
    change_form_template = "admin/members/invoice/change_form.html"
    change_list_template = "admin/members/invoice/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    @admin.display(description=_("status"))
    def state(self, invoice):
        return invoice.get_status_display()

    @admin.display(description=_("balance"))
    def balance(self, invoice):
        return invoice.balance_due

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        own = [
            path(
                "issue/", self.admin_site.admin_view(self.issue_view), name="members_invoice_issue"
            ),
            path(
                "issue-one/",
                self.admin_site.admin_view(self.issue_one_view),
                name="members_invoice_issue_one",
            ),
            path(
                "reports/<str:report>/",
                self.admin_site.admin_view(self.report_view),
                name="members_invoice_report",
            ),
            path(
                "<int:pk>/pay/",
                self.admin_site.admin_view(self.pay_view),
                name="members_invoice_pay",
            ),
            path(
                "<int:pk>/remind/",
                self.admin_site.admin_view(self.remind_view),
                name="members_invoice_remind",
            ),
            path(
                "<int:pk>/close/<str:action>/",
                self.admin_site.admin_view(self.close_view),
                name="members_invoice_close",
            ),
        ]
        return own + super().get_urls()

    def require(self, request, codename):
        if not request.user.has_perm(f"members.{codename}"):
            raise PermissionDenied

    def back_to(self, invoice):
        return redirect("admin:members_invoice_change", invoice.pk)

    def page(self, request, title, form, invoice=None, **context):
        return TemplateResponse(
            request,
            "admin/members/invoice/form.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "form": form,
                "invoice": invoice,
                **context,
            },
        )

    def pay_view(self, request, pk):
        """Record a payment: the invoice's button opens this form filled with the balance,
        so one more click records it."""
        self.require(request, "add_payment")
        invoice = get_object_or_404(Invoice, pk=pk)
        initial = {"amount": invoice.balance_due, "paid_on": timezone.localdate()}
        form = PaymentForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                billing.record_payment(invoice=invoice, by=request.user, **form.cleaned_data)
            except BillingRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Payment recorded."))
                return self.back_to(invoice)
        return self.page(request, _("Record a payment on %s") % invoice.number, form, invoice)

    def remind_view(self, request, pk):
        self.require(request, "add_invoicereminder")
        invoice = get_object_or_404(Invoice, pk=pk)
        if request.method == "POST":
            try:
                billing.send_reminder_again(invoice=invoice, by=request.user)
            except BillingRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, _("Reminder sent and logged."))
        return self.back_to(invoice)

    def close_view(self, request, pk, action):
        """Void (leaves a credit note) or waive, each with its reason."""
        services = {"void": billing.void_invoice, "waive": billing.waive_invoice}
        if action not in services:
            raise PermissionDenied
        self.require(request, "change_invoice")
        invoice = get_object_or_404(Invoice, pk=pk)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services[action](
                    invoice=invoice, reason=form.cleaned_data["reason"], by=request.user
                )
            except BillingRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("Invoice updated."))
                return self.back_to(invoice)
        titles = {"void": _("Void %s"), "waive": _("Waive %s")}
        return self.page(request, titles[action] % invoice.number, form, invoice)

    def issue_view(self, request):
        """Issue the year's dues: the preview first (how many, to whom, the total), then
        the confirmation issues them."""
        self.require(request, "add_invoice")
        data = request.POST or request.GET or None
        form = IssueForm(data, initial={"year": timezone.localdate().year})
        preview = None
        if form.is_valid():
            year = form.cleaned_data["year"]
            if request.method == "POST":
                try:
                    issued = billing.issue_dues(year=year, by=request.user)
                except BillingRefused as refusal:
                    messages.error(request, str(refusal))
                else:
                    # The invoice emails, PDF attached, go from the worker.
                    send_dues_reminders.enqueue()
                    messages.success(
                        request,
                        _("%(count)s invoices issued for %(year)s.")
                        % {"count": len(issued), "year": year},
                    )
                    return redirect("admin:members_invoice_changelist")
            preview = billing.preview_dues(year=year)
        return self.page(request, _("Issue the year's dues"), form, preview=preview)

    def issue_one_view(self, request):
        """One invoice with lines of its own, such as a conference package."""
        self.require(request, "add_invoice")
        form = OneOffInvoiceForm(request.POST or None, initial={"currency": Currency.USD})
        lines = LineFormSet(request.POST or None, prefix="lines")
        if request.method == "POST" and form.is_valid() and lines.is_valid():
            try:
                invoice = billing.issue_invoice(
                    **form.cleaned_data,
                    lines=[InvoiceLine(**line) for line in lines.cleaned_data if line],
                    by=request.user,
                )
            except BillingRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                send_dues_reminders.enqueue()
                messages.success(request, _("Invoice %s issued.") % invoice.number)
                return self.back_to(invoice)
        return TemplateResponse(
            request,
            "admin/members/invoice/issue_one.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Issue an invoice"),
                "form": form,
                "lines": lines,
            },
        )

    def report_view(self, request, report):
        self.require(request, "view_invoice")
        if report not in REPORTS:
            raise PermissionDenied
        today = timezone.localdate()
        table = REPORTS[report](today)
        if file_format := request.GET.get("format"):
            return report_response(table, file_format)
        return TemplateResponse(
            request,
            "admin/members/invoice/report.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "table": table,
                "report": report,
                "title": table.title,
            },
        )


@admin.register(Payment)
class PaymentAdmin(SpreadsheetImportExportMixin, admin.ModelAdmin):
    """Payments are recorded from their invoice, or imported from a bank statement
    (members.bank_statements), where each row meets the same rules."""

    resource_classes = [PaymentResource]
    list_display = ["invoice", "paid_on", "amount", "currency", "method", "reference"]
    list_filter = ["method", "currency"]
    search_fields = ["invoice__number", "invoice__member__name", "reference"]
    list_select_related = ["invoice"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        # A payment is recorded from its invoice or a statement, where the balance is checked.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditNote)
class CreditNoteAdmin(admin.ModelAdmin):
    list_display = ["number", "invoice", "issued_on", "amount"]
    search_fields = ["number", "invoice__number", "invoice__member__name"]
    readonly_fields = [f.name for f in CreditNote._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LapseProposal)
class LapseProposalAdmin(SimpleHistoryAdmin):
    list_display = ["member", "invoice", "proposed_on", "status", "decided_on", "decided_by"]
    list_filter = ["status"]
    readonly_fields = ["member", "invoice", "proposed_on", "status", "decided_on", "decided_by"]
    actions = ["confirm", "dismiss"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def decide(self, request, queryset, decision):
        for proposal in queryset:
            try:
                decision(proposal=proposal, by=request.user)
            except BillingRefused as refusal:
                messages.error(request, f"{proposal.member}: {refusal}")

    @admin.action(description=_("Confirm: lapse the selected members"), permissions=["change"])
    def confirm(self, request, queryset):
        self.decide(request, queryset, billing.confirm_lapse)

    @admin.action(description=_("Dismiss the selected proposals"), permissions=["change"])
    def dismiss(self, request, queryset):
        self.decide(request, queryset, billing.dismiss_lapse)
