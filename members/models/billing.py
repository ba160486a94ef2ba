"""The money cycle: dues rates, invoices and their lines, payments, credit notes, the
reminders sent and the lapse proposals that wait for the Secretariat.

An invoice's status is derived from its dates and payments, never typed: the `status`
property for one invoice, `InvoiceQuerySet.with_status()` for a list. An issued invoice is
never edited or deleted; it is voided (leaving a credit note) or waived, each with a reason.
The yearly `Dues` record stays: its status mirrors its dues invoice (see
members.services.billing.mirror_dues)."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import (
    Case,
    F,
    Q,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from canto_portal.versions import WatchedQuerySet
from members.models.register import Dues, Member, MembershipCategory

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class Currency(models.TextChoices):
    USD = "USD", "USD"
    TTD = "TTD", "TTD"
    XCD = "XCD", "XCD"
    EUR = "EUR", "EUR"


class DuesRate(models.Model):
    """What a membership category pays for one year."""

    category = models.ForeignKey(
        MembershipCategory,
        on_delete=models.PROTECT,
        related_name="dues_rates",
        verbose_name=_("category"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "category__ordering", "category__name"]
        verbose_name = _("dues rate")
        verbose_name_plural = _("dues rates")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "year"],
                name="dues_rate_one_per_category_and_year",
                violation_error_message=_("This category already has a rate for this year."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="dues_rate_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.category} {self.year}: {self.amount} {self.currency}"


class InvoiceNumberSequence(models.Model):
    """The last invoice number given in a year. Its row is locked while numbers are given,
    so numbers run without gaps and two people issuing at once never share one."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice number sequence")
        verbose_name_plural = _("invoice number sequences")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


def invoice_number(year: int, sequence: int) -> str:
    return f"CANTO-{year}-{sequence:04d}"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    VOID = "void", _("Void")
    WAIVED = "waived", _("Waived")


class InvoiceQuerySet(WatchedQuerySet):
    def with_status(self, today: datetime.date | None = None):
        """Annotate the derived `status_code` (an InvoiceStatus value) for lists."""
        today = today or timezone.localdate()
        return self.annotate(
            status_code=Case(
                When(voided_on__isnull=False, then=Value(InvoiceStatus.VOID)),
                When(waived_on__isnull=False, then=Value(InvoiceStatus.WAIVED)),
                When(paid__gte=F("total"), then=Value(InvoiceStatus.PAID)),
                When(due_on__lt=today, then=Value(InvoiceStatus.OVERDUE)),
                When(paid__gt=0, then=Value(InvoiceStatus.PARTLY_PAID)),
                default=Value(InvoiceStatus.ISSUED),
                output_field=models.CharField(),
            )
        )

    def live(self):
        """Invoices that still ask for money: neither void nor waived."""
        return self.filter(voided_on__isnull=True, waived_on__isnull=True)

    def open(self):
        return self.live().unpaid()

    def unpaid(self):
        """Those not paid in full."""
        return self.filter(paid__lt=F("total"))

    def past_due(self, *, on: datetime.date | None = None, days: int = 0):
        """Invoices whose due date is more than `days` before `on` (today)."""
        on = on or timezone.localdate()
        return self.filter(due_on__lt=on - datetime.timedelta(days=days))

    def overdue(self, *, on: datetime.date | None = None, days: int = 0):
        """Open invoices past due."""
        return self.open().past_due(on=on, days=days)

    def dues(self):
        return self.filter(kind=Invoice.Kind.DUES)

    def of_member(self, member):
        return self.filter(member=member)


class ImmutableOnceIssued(Exception):
    """An issued invoice, its lines and its payments are never edited or deleted."""


class Invoice(models.Model):
    """What a member owes: one dues invoice per member and year, or another invoice
    (a conference package, say). Numbers run per year without gaps."""

    class Kind(models.TextChoices):
        DUES = "dues"
        OTHER = "other"

    Status = InvoiceStatus
    # The only columns that change after issue: voiding and waiving, each with its reason.
    CLOSING_FIELDS = frozenset(
        {"voided_on", "void_reason", "waived_on", "waived_reason", "closed_by"}
    )

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("member")
    )
    dues = models.ForeignKey(
        Dues,
        on_delete=models.PROTECT,
        related_name="invoices",
        null=True,
        blank=True,
        verbose_name=_("dues"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DUES)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number"), max_length=20, unique=True)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    total = models.DecimalField(_("total"), **MONEY)
    # The sum of the invoice's payments, kept by the one service that records a payment
    # (members.services.billing.save_payment), in the payment's transaction: lists of
    # thousands of invoices tell what is unpaid without adding up every payment.
    paid = models.DecimalField(_("paid so far"), default=Decimal("0"), editable=False, **MONEY)
    voided_on = models.DateField(_("voided on"), null=True, blank=True)
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    waived_on = models.DateField(_("waived on"), null=True, blank=True)
    waived_reason = models.TextField(_("reason for waiving"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voided or waived by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=Q(kind="dues", voided_on__isnull=True),
                name="invoice_one_dues_per_member_and_year",
                violation_error_message=_("This member already has a dues invoice for this year."),
            ),
            models.CheckConstraint(
                condition=Q(total__gt=0),
                name="invoice_total_positive",
                violation_error_message=_("The total must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("issued_on")),
                name="invoice_due_after_issue",
                violation_error_message=_("The due date cannot be before the issue date."),
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0, paid__lte=F("total")),
                name="invoice_paid_within_total",
                violation_error_message=_("An invoice cannot be paid more than its total."),
            ),
            models.CheckConstraint(
                condition=Q(voided_on__isnull=True) | Q(waived_on__isnull=True),
                name="invoice_not_both_void_and_waived",
                violation_error_message=_("An invoice is either void or waived, not both."),
            ),
        ]
        indexes = [
            models.Index(fields=["member", "-issued_on"]),
            models.Index(fields=["due_on"]),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk and not (update_fields and set(update_fields) <= self.CLOSING_FIELDS):
            raise ImmutableOnceIssued(_("An issued invoice cannot be changed; void it instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableOnceIssued(_("An issued invoice cannot be deleted; void it instead."))

    def get_absolute_url(self):
        return reverse("members:invoice", args=[self.number])

    def get_pdf_url(self):
        return reverse("members:invoice_pdf", args=[self.number])

    @property
    def balance_due(self) -> Decimal:
        if self.voided_on or self.waived_on:
            return Decimal("0")
        return self.total - self.paid

    def status_on(self, today: datetime.date) -> str:
        if self.voided_on:
            return InvoiceStatus.VOID
        if self.waived_on:
            return InvoiceStatus.WAIVED
        paid = self.paid
        if paid >= self.total:
            return InvoiceStatus.PAID
        if self.due_on < today:
            return InvoiceStatus.OVERDUE
        if paid > 0:
            return InvoiceStatus.PARTLY_PAID
        return InvoiceStatus.ISSUED

    @property
    def status(self) -> str:
        annotated = self.__dict__.get("status_code")
        return annotated if annotated is not None else self.status_on(timezone.localdate())

    def get_status_display(self):
        return InvoiceStatus(self.status).label

    @property
    def days_overdue(self) -> int:
        return max((timezone.localdate() - self.due_on).days, 0)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="lines", verbose_name=_("invoice")
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "pk"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(unit_price__gt=0) & Q(quantity__gt=0),
                name="invoice_line_amount_positive",
                violation_error_message=_("A line's amount must be more than zero."),
            ),
        ]

    def __str__(self):
        return self.description

    def save(self, *args, **kwargs):
        if self.pk:
            raise ImmutableOnceIssued(_("The lines of an issued invoice cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableOnceIssued(_("The lines of an issued invoice cannot be deleted."))


class Payment(models.Model):
    """Money received against an invoice. Card payments have no provider yet: the method
    is there so that one can be plugged in as another way of recording a payment."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CHEQUE = "cheque", _("Cheque")
        CARD = "card", _("Card")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.USD
    )
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.BANK_TRANSFER
    )
    reference = models.CharField(
        _("bank reference"),
        max_length=80,
        blank=True,
        help_text=_("The bank's reference of the transfer, or the cheque number."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="payment_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="payment_unique_reference",
                violation_error_message=_("A payment with this bank reference is recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.invoice} {self.amount} {self.currency} {self.paid_on}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ImmutableOnceIssued(_("A recorded payment cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableOnceIssued(_("A recorded payment cannot be deleted."))

    def get_receipt_url(self):
        return reverse("members:receipt_pdf", args=[self.invoice.number, self.pk])


class CreditNote(models.Model):
    """What voiding an invoice leaves: the amount it no longer asks for, and why."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="credit_note", verbose_name=_("invoice")
    )
    number = models.CharField(_("number"), max_length=24, unique=True)
    issued_on = models.DateField(_("issued on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.TextField(_("reason"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="credit_note_amount_positive",
                violation_error_message=_("The amount must be more than zero."),
            ),
        ]

    def __str__(self):
        return self.number


class InvoiceReminder(models.Model):
    """A reminder sent for an invoice: each automatic stage once per invoice (the unique
    constraint), reminders sent again by hand as often as the Secretariat chooses."""

    class Stage(models.TextChoices):
        ISSUED = "issued", _("Invoice issued")
        BEFORE_DUE = "before_due", _("14 days before the due date")
        DUE = "due", _("On the due date")
        OVERDUE = "overdue", _("30 days overdue")
        BY_HAND = "by_hand", _("Sent again by hand")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("invoice")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("invoice reminder")
        verbose_name_plural = _("invoice reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "stage"],
                condition=~Q(stage="by_hand"),
                name="invoice_reminder_once_per_stage",
            ),
        ]

    def __str__(self):
        return f"{self.invoice} {self.get_stage_display()}"


class LapseProposalQuerySet(WatchedQuerySet):
    def pending(self):
        return self.filter(status=LapseProposal.Status.PENDING)


class LapseProposal(models.Model):
    """A member the dues cycle found overdue for long: the Secretariat confirms (the member
    lapses) or dismisses it. A machine never lapses a member."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the Secretariat")
        CONFIRMED = "confirmed", _("Confirmed: the member lapsed")
        DISMISSED = "dismissed", _("Dismissed")

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="lapse_proposals",
        verbose_name=_("member"),
    )
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="lapse_proposals",
        verbose_name=_("overdue invoice"),
    )
    proposed_on = models.DateField(_("proposed on"), default=timezone.localdate)
    status = models.CharField(
        _("decision"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = LapseProposalQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-proposed_on"]
        verbose_name = _("lapse proposal")
        verbose_name_plural = _("lapse proposals")
        constraints = [
            # One proposal per overdue invoice: dismissed, it is not proposed again.
            models.UniqueConstraint(fields=["invoice"], name="lapse_proposal_once_per_invoice"),
        ]

    def __str__(self):
        return f"{self.member} ({self.get_status_display()})"

    def clean(self):
        super().clean()
        if self.status != self.Status.PENDING and not self.decided_on:
            raise ValidationError(_("A decision needs its date."))
