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

    objects = WatchedQuerySet.as_manager()

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

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")

    def __str__(self):
        return self.name


class MemberQuerySet(WatchedQuerySet):
    def with_standing(self):
        """Annotate `has_overdue_dues` so lists can show standing without a query per row."""
        overdue = Dues.objects.filter(member=OuterRef("pk"), status=Dues.Status.OVERDUE)
        return self.annotate(has_overdue_dues=Exists(overdue))

    def in_good_standing(self):
        return (
            self.with_standing().filter(status=Member.Status.ACTIVE).filter(has_overdue_dues=False)
        )

    def not_in_good_standing(self):
        return self.with_standing().filter(
            ~Q(status=Member.Status.ACTIVE) | Q(has_overdue_dues=True)
        )

    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def current(self):
        """Everyone still on the register: resigned members keep their record but are gone."""
        return self.exclude(status=Member.Status.RESIGNED)

    def directory(self):
        """The members-only directory: active members with what a listing row shows."""
        return self.active().select_related("category").order_by("name", "pk")

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
            overdue = self.dues.filter(status=Dues.Status.OVERDUE).exists()
        return not overdue


class ContactQuerySet(WatchedQuerySet):
    def of_active_members(self):
        return self.filter(member__status=Member.Status.ACTIVE)

    def for_dashboard(self):
        """A member's contacts as the dashboard lists them, with each one's login state."""
        pending = models.Prefetch(
            "invitations", queryset=Invitation.objects.pending(), to_attr="pending_invitations"
        )
        return self.select_related("user").prefetch_related(pending).order_by("name", "pk")

    def holding_privileged_role(self, on=None):
        """Contacts whose login opens more than their own organisation: a board term or a
        council seat, current or still to come, or a back-office (staff) login. Who controls
        their address and login controls that role, so only the Secretariat may change them."""
        from django.contrib.auth.models import Group

        from agreements.models import Appointment
        from members.roles import SECRETARIAT_GROUP

        on = on or timezone.localdate()
        board = BoardTerm.objects.filter(contact=OuterRef("pk")).not_over(on)
        seat = Appointment.objects.filter(
            contact=OuterRef("pk"),
            status__in=[Appointment.Status.NOMINATED, Appointment.Status.ACTIVE],
            ends_on__gte=on,
        )
        back_office = Group.objects.filter(name=SECRETARIAT_GROUP, user=OuterRef("user"))
        return self.filter(
            Exists(board)
            | Exists(seat)
            | Q(user__is_staff=True)
            | Q(user__is_superuser=True)
            | Exists(back_office)
        )


class Contact(models.Model):
    """A person at a member organisation. Their login, if any, hangs from here."""

    class Role(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        BILLING = "billing", _("Billing")
        TECHNICAL = "technical", _("Technical")
        REGULATORY = "regulatory", _("Regulatory")
        OTHER = "other", _("Other")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("member")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)
    is_member_admin = models.BooleanField(
        _("member admin"),
        default=False,
        help_text=_("May edit the organisation's profile and manage its contacts."),
    )
    receives_briefings = models.BooleanField(
        _("receives briefings by email"),
        default=True,
        help_text=_("Members-only briefings are emailed when published, unless this is off."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["member__name", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(role="primary"),
                name="contact_one_primary_per_member",
                violation_error_message=_("This member already has a primary contact."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="contact_unique_email",
                violation_error_message=_("Another contact already uses this email address."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.member})"

    def holds_privileged_role(self):
        return Contact.objects.holding_privileged_role().filter(pk=self.pk).exists()


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


class BoardTermQuerySet(WatchedQuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def not_over(self, on=None):
        """Current terms and those still to come."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class BoardTerm(models.Model):
    """A seat on CANTO's Board of Directors; today's board is derived from these."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        DIRECTOR = "director", _("Director")

    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="board_terms", verbose_name=_("contact")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DIRECTOR)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = BoardTermQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "role"]
        verbose_name = _("board term")
        verbose_name_plural = _("board terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="boardterm_ends_after_start",
                violation_error_message=_("A term must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.contact.name}, {self.get_role_display()}"

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class InvitationQuerySet(WatchedQuerySet):
    def pending(self):
        """Invitations that can still be accepted: not used, not withdrawn, not expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A single-use link that lets a contact choose a password and get a login.

    Only a SHA-256 hash of the token is stored: the token itself exists in the email alone,
    so a copy of the database cannot be used to accept anyone's invitation."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("contact")
    )
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("Set when a newer invitation replaces this one."),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self):
        return _("Invitation for %(email)s") % {"email": self.email}

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()
