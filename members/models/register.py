"""The member register: categories, benefits, member organisations and their dues."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from canto_portal.status_moves import GuardedStatusMixin
from canto_portal.versions import WatchedQuerySet


class MembershipCategory(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    annual_dues = models.DecimalField(
        _("annual dues (USD)"), max_digits=10, decimal_places=2, default=0
    )
    voting_rights = models.BooleanField(_("voting rights"), default=False)
    ordering = models.PositiveSmallIntegerField(_("display order"), default=0)

    # modeltranslation swaps the manager at run time, where django-stubs cannot follow it.
    objects: ClassVar[models.Manager["MembershipCategory"]] = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("membership category")
        verbose_name_plural = _("membership categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_dues__gte=0), name="category_dues_not_negative"
            ),
        ]

    def __str__(self):
        return self.name


class Benefit(models.Model):
    """Something membership gives; the member operator sees their category's list."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    categories = models.ManyToManyField(
        MembershipCategory, related_name="benefits", verbose_name=_("categories")
    )
    ordering = models.PositiveSmallIntegerField(_("display order"), default=0)

    # modeltranslation swaps the manager at run time, where django-stubs cannot follow it.
    objects: ClassVar[models.Manager["Benefit"]] = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")

    def __str__(self):
        return self.name


def invoice_objects():
    # The invoices are reached through the reverse relation: the billing models build on
    # this module, which must not import them back.
    return Member._meta.get_field("invoices").related_model.objects


def overdue_record():
    """A member's dues recorded overdue without an invoice (an imported past year)."""
    return Dues.objects.filter(
        member=OuterRef("pk"), status=Dues.Status.OVERDUE, invoices__isnull=True
    )


def owing_dues(on=None) -> Q:
    """The condition of MemberQuerySet.with_standing()'s `has_overdue_dues`, with the overdue
    invoices of the whole register found at once rather than member by member."""
    owing = invoice_objects().dues().overdue(on=on, days=settings.DUES_GRACE_DAYS).values("member")
    return Q(pk__in=owing) | Q(Exists(overdue_record()))


class MemberQuerySet(WatchedQuerySet):
    def with_standing(self, on=None):
        """Annotate `has_overdue_dues` so lists can show standing without a query per row.

        Standing follows the money: a dues invoice still open more than DUES_GRACE_DAYS after
        its due date. Dues recorded without an invoice (an imported past year) count by the
        status they were recorded with. Each row is judged by its own invoices, the cheaper
        way for a page of members; in_good_standing() and not_in_good_standing() filter the
        whole register with owing_dues() instead."""
        overdue_invoice = (
            invoice_objects()
            .dues()
            .filter(member=OuterRef("pk"))
            .overdue(on=on, days=settings.DUES_GRACE_DAYS)
        )
        return self.annotate(has_overdue_dues=Exists(overdue_invoice) | Exists(overdue_record()))

    def in_good_standing(self):
        return self.filter(status=Member.Status.ACTIVE).exclude(owing_dues())

    def not_in_good_standing(self):
        return self.filter(~Q(status=Member.Status.ACTIVE) | owing_dues())

    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def current(self):
        """Everyone still on the register: resigned members keep their record but are gone."""
        return self.exclude(status=Member.Status.RESIGNED)

    def directory(self):
        """The members-only directory: active members with what a listing row shows."""
        return self.active().select_related("category").order_by("name", "pk")

    def left_out_of_directory(self):
        """Members on the register whom the directory does not list: suspended and lapsed."""
        return self.current().exclude(status=Member.Status.ACTIVE)

    def profiles_visible_to(self, roles):
        """Profiles a login may open: the Secretariat any on the register, others the
        directory's."""
        if roles.is_secretariat:
            return self.current().select_related("category")
        return self.directory()


class Member(GuardedStatusMixin, models.Model):
    """A member organisation of CANTO."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        LAPSED = "lapsed", _("Lapsed")
        RESIGNED = "resigned", _("Resigned")

    # Which status moves the Secretariat may make; anything else is a data-entry mistake.
    STATUS_MOVE_REFUSED = _("A member cannot move from %(old)s to %(new)s.")
    ALLOWED_STATUS_CHANGES = {
        Status.ACTIVE: {Status.SUSPENDED, Status.LAPSED, Status.RESIGNED},
        Status.SUSPENDED: {Status.ACTIVE, Status.LAPSED, Status.RESIGNED},
        Status.LAPSED: {Status.ACTIVE, Status.RESIGNED},
        Status.RESIGNED: {Status.ACTIVE},
    }

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    category = models.ForeignKey(
        MembershipCategory,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("category"),
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    public_email = models.EmailField(_("public email"), blank=True)
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    joined_on = models.DateField(_("joined on"))
    founding_member = models.BooleanField(_("founding member"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    status_changed_on = models.DateField(_("status changed on"), default=timezone.localdate)
    staff_notes = models.TextField(
        _("staff notes"), blank=True, help_text=_("Seen only by the Secretariat.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "country",
                name="member_unique_name_per_country",
                violation_error_message=_(
                    "A member with this name already exists in this country."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["country", "name"]),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.joined_on and self.joined_on > timezone.localdate():
            errors["joined_on"] = _("The joining date cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.status_is_moving:
            self.status_changed_on = timezone.localdate()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.slug])

    @property
    def in_good_standing(self):
        if self.status != Member.Status.ACTIVE:
            return False
        overdue = getattr(self, "has_overdue_dues", None)
        if overdue is None:
            overdue = (
                Member.objects.with_standing().filter(pk=self.pk, has_overdue_dues=True).exists()
            )
        return not overdue


class Dues(models.Model):
    """The annual dues of one member for one year."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PAID = "paid", _("Paid")
        OVERDUE = "overdue", _("Overdue")
        WAIVED = "waived", _("Waived")

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="dues", verbose_name=_("member")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "member__name"]
        verbose_name = _("dues")
        verbose_name_plural = _("dues")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="dues_one_per_member_and_year",
                violation_error_message=_("This member already has dues for this year."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="dues_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1985, year__lte=2100),
                name="dues_year_in_range",
                violation_error_message=_("The year must be between 1985 and 2100."),
            ),
            models.CheckConstraint(
                condition=(Q(status="paid", paid_on__isnull=False) | ~Q(status="paid")),
                name="dues_paid_has_date",
                violation_error_message=_("Paid dues need the date they were paid on."),
            ),
        ]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self):
        return f"{self.member} {self.year}"
