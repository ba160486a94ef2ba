import calendar
import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from agreements.validators import validate_pdf


def private_storage():
    """Documents live outside the public media path; only permission-checking views serve them."""
    return storages["private"]


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    BOARD = "board", _("Board and Secretariat")


class Partner(models.Model):
    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International body")
        REGIONAL = "regional", _("Regional body")
        VENDOR = "vendor", _("Vendor")
        REGULATOR = "regulator", _("Regulator")
        ACADEMIC = "academic", _("Academic")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.short_name or self.name


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, roles):
        """What a viewer may see, by the agreement's confidentiality and the viewer's roles."""
        if roles.may_see_register:
            return self
        if roles.is_member_operator:
            return self.filter(
                confidentiality__in=[Confidentiality.PUBLIC, Confidentiality.MEMBERS]
            )
        return self.filter(confidentiality=Confidentiality.PUBLIC)

    def expiring_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.filter(
            status=Agreement.Status.ACTIVE,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=days),
        )

    def review_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            status__in=[Agreement.Status.ACTIVE, Agreement.Status.NEGOTIATION],
            next_review_on__lt=today,
        )


class Agreement(models.Model):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")
        SPONSORSHIP = "sponsorship", _("Sponsorship")
        DATA_SHARING = "data_sharing", _("Data sharing")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NEGOTIATION = "negotiation", _("In negotiation")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")
        SUPERSEDED = "superseded", _("Superseded")

    # The only moves an agreement's status may make.
    ALLOWED_STATUS_CHANGES = {
        Status.DRAFT: {Status.NEGOTIATION},
        Status.NEGOTIATION: {Status.ACTIVE},
        Status.ACTIVE: {Status.EXPIRED, Status.TERMINATED, Status.SUPERSEDED},
        Status.EXPIRED: set(),
        Status.TERMINATED: set(),
        Status.SUPERSEDED: set(),
    }

    class Renewal(models.TextChoices):
        NONE = "none", _("No renewal")
        AUTOMATIC = "automatic", _("Automatic")
        NOTICE = "notice", _("By notice")

    reference = models.CharField(
        _("reference"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^CANTO-AGR-\d{4}-\d{3}$",
                _("Use the form CANTO-AGR-YYYY-NNN, for example CANTO-AGR-2015-001."),
            )
        ],
    )
    title = models.CharField(_("title"), max_length=255)
    partners = models.ManyToManyField(
        Partner, related_name="agreements", verbose_name=_("partners")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.CharField(_("signed at"), max_length=120, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Leave blank when open-ended.")
    )
    renewal = models.CharField(
        _("renewal"), max_length=20, choices=Renewal.choices, default=Renewal.NONE
    )
    notice_period_days = models.PositiveIntegerField(
        _("notice period (days)"), null=True, blank=True
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.BOARD,
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements_responsible_for",
        verbose_name=_("responsible staff member"),
    )
    summary = models.TextField(_("summary"), blank=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "reference"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(expires_on__gt=models.F("effective_from")),
                name="agreement_expires_after_effective",
                violation_error_message=_("The expiry date must be after the effective date."),
            ),
            models.CheckConstraint(
                condition=~Q(renewal="notice") | Q(notice_period_days__isnull=False),
                name="agreement_notice_renewal_has_period",
                violation_error_message=_("Renewal by notice needs a notice period."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["next_review_on"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # Remembered so a status change is judged as a move from the stored status.
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def clean(self):
        super().clean()
        if message := self.status_move_error():
            raise ValidationError({"status": message})

    def save(self, *args, **kwargs):
        if message := self.status_move_error():
            raise ValidationError({"status": message})
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.reference])

    def status_move_error(self):
        """Why the pending status change is not allowed, or None when it is."""
        previous = getattr(self, "_loaded_status", None)
        if not previous or previous == self.status:
            return None
        if self.status in self.ALLOWED_STATUS_CHANGES.get(previous, set()):
            return None
        return _("An agreement cannot move from %(old)s to %(new)s.") % {
            "old": Agreement.Status(previous).label,
            "new": Agreement.Status(self.status).label,
        }


class Signatory(models.Model):
    class Side(models.TextChoices):
        CANTO = "canto", _("CANTO")
        PARTNER = "partner", _("Partner")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("agreement")
    )
    name = models.CharField(_("name or title"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatories",
        verbose_name=_("partner"),
    )

    class Meta:
        ordering = ["side", "name"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.CheckConstraint(
                condition=Q(side="canto", partner__isnull=True)
                | Q(side="partner", partner__isnull=False),
                name="signatory_partner_side_names_partner",
                violation_error_message=_(
                    "A partner's signatory names the partner; CANTO's does not."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Commitment(models.Model):
    class OwedBy(models.TextChoices):
        CANTO = "canto", _("CANTO")
        PARTNER = "partner", _("Partner")
        BOTH = "both", _("Both")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        MET = "met", _("Met")
        AT_RISK = "at_risk", _("At risk")
        LAPSED = "lapsed", _("Lapsed")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("agreement")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    owed_by = models.CharField(_("owed by"), max_length=10, choices=OwedBy.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    evidence = models.TextField(_("evidence note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="commitment_number_unique_per_agreement",
                violation_error_message=_(
                    "This agreement already has a commitment with this number."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    @property
    def is_past_due(self):
        return (
            self.due_on is not None
            and self.due_on < timezone.localdate()
            and self.status not in {self.Status.MET, self.Status.LAPSED}
        )


def document_path(instance, filename):
    return f"agreements/{instance.agreement.reference}/{filename}"


class AgreementDocument(models.Model):
    class Kind(models.TextChoices):
        SIGNED_COPY = "signed_copy", _("Signed copy")
        ANNEX = "annex", _("Annex")
        AMENDMENT = "amendment", _("Amendment")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file (PDF)"), storage=private_storage, upload_to=document_path, validators=[validate_pdf]
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.BOARD,
        help_text=_("Nobody sees a document the agreement itself hides from them."),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["agreement", "kind", "title"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self):
        return self.title


class Activity(models.Model):
    """A joint programme or event held under an agreement."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        PROGRAMME = "programme", _("Programme")
        EVENT = "event", _("Event")
        MEETING = "meeting", _("Meeting")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="activities", verbose_name=_("agreement")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title


class Review(models.Model):
    """A board member's review of an agreement."""

    class Outcome(models.TextChoices):
        NOTED = "noted", _("Noted")
        RENEW = "renew", _("Renew")
        RENEGOTIATE = "renegotiate", _("Renegotiate")
        TERMINATE = "terminate", _("Terminate")
        ESCALATE = "escalate", _("Escalate")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("agreement")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agreement_reviews",
        verbose_name=_("reviewer"),
    )
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    comments = models.TextField(_("comments"), blank=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        get_latest_by = ["reviewed_on", "created_at"]

    def __str__(self):
        return f"{self.agreement.reference} {self.reviewed_on}: {self.get_outcome_display()}"


# Council seats (issue 5): querysets and helpers of Council, Seat and Appointment.

# Two terms of one person on one council are consecutive when at most this many days without
# a term lie between them, on any seat of that council: a term ending on 30 April is followed
# consecutively by one starting on 1 May (no day between) or 2 May (one day between, e.g. a
# handover day), but not by one starting on 3 May. Overlapping terms count as consecutive too.
CONSECUTIVE_TERM_MAX_GAP_DAYS = 1

# A current term ending within this many days is highlighted and alerted about.
ENDING_SOON_DAYS = 90


def add_months(day, months):
    """The same day of the month `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def follows_consecutively(earlier_end, later_start):
    return (later_start - earlier_end).days - 1 <= CONSECUTIVE_TERM_MAX_GAP_DAYS


class SeatQuerySet(models.QuerySet):
    def lock_for_appointment(self, pk):
        """Locks a seat and its council row until the transaction ends (SELECT ... FOR UPDATE
        over the join locks both on PostgreSQL; SQLite locks the whole database on write
        anyway). Appointments to any seat of the council then happen one after another, so
        the rules that look at other appointments (overlaps, consecutive terms) see the
        ones saved just before."""
        return self.select_related("council").select_for_update().get(pk=pk)

    def vacant(self, today=None):
        """Seats nobody holds today."""
        held = Appointment.objects.current(today).filter(seat=models.OuterRef("pk"))
        return self.exclude(models.Exists(held))

    def with_current_appointments(self, today=None):
        """Prefetches `current_appointments` (a list, normally of one) with the holder and the
        holder's organisation, so a page of seats costs one query more, not one per seat."""
        return self.prefetch_related(
            models.Prefetch(
                "appointments",
                queryset=Appointment.objects.current(today).select_related("contact__member"),
                to_attr="current_appointments",
            )
        )

    def with_last_held_until(self, today=None):
        """Annotates `last_held_until`: the end of the latest term that ended before today."""
        today = today or timezone.localdate()
        latest = (
            Appointment.objects.occupying()
            .filter(seat=models.OuterRef("pk"), ends_on__lt=today)
            .order_by("-ends_on")
            .values("ends_on")[:1]
        )
        return self.annotate(last_held_until=models.Subquery(latest))


class AppointmentQuerySet(models.QuerySet):
    def occupying(self):
        """Appointments that take up their seat's time: all but withdrawn ones. The same set
        the PostgreSQL exclusion constraint appointment_no_overlap_per_seat covers."""
        return self.exclude(status=Appointment.Status.WITHDRAWN)

    def overlapping(self, starts_on, ends_on):
        """Occupying appointments sharing at least one day with starts_on..ends_on; both ends
        count, as in the constraint's daterange(starts_on, ends_on, '[]')."""
        return self.occupying().filter(starts_on__lte=ends_on, ends_on__gte=starts_on)

    def current(self, today=None):
        """Appointments whose holder sits on the seat today (nominated or active)."""
        today = today or timezone.localdate()
        return self.filter(
            status__in=[Appointment.Status.NOMINATED, Appointment.Status.ACTIVE],
            starts_on__lte=today,
            ends_on__gte=today,
        )

    def ending_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.current(today).filter(ends_on__lte=today + datetime.timedelta(days=days))


class Council(models.Model):
    """A partner's council on which an agreement grants CANTO seats."""

    name = models.CharField(_("name"), max_length=200)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="councils", verbose_name=_("partner")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="councils",
        verbose_name=_("agreement granting the seats"),
    )
    granted_principal_seats = models.PositiveSmallIntegerField(
        _("principal seats granted"), default=0
    )
    granted_alternate_seats = models.PositiveSmallIntegerField(
        _("alternate seats granted"), default=0
    )
    term_months = models.PositiveSmallIntegerField(_("term length (months)"), default=24)
    max_consecutive_terms = models.PositiveSmallIntegerField(
        _("maximum consecutive terms"), default=2
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "name"], name="council_unique_name_per_partner"
            ),
            models.CheckConstraint(
                condition=Q(term_months__gt=0) & Q(max_consecutive_terms__gt=0),
                name="council_positive_terms",
                violation_error_message=_("Term length and consecutive terms must be positive."),
            ),
        ]

    def __str__(self):
        return self.name

    def granted_seats(self, kind):
        if kind == Seat.Kind.PRINCIPAL:
            return self.granted_principal_seats
        return self.granted_alternate_seats

    def term_end(self, starts_on):
        """The last day of a full term starting on starts_on: 24 months from 1 May 2025 end
        on 30 April 2027."""
        return add_months(starts_on, self.term_months) - datetime.timedelta(days=1)

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        labels = {kind: [] for kind in Seat.Kind.values}
        for kind, label in self.seats.order_by("label").values_list("kind", "label"):
            labels[kind].append(label)
        errors = {}
        for kind, field in (
            (Seat.Kind.PRINCIPAL, "granted_principal_seats"),
            (Seat.Kind.ALTERNATE, "granted_alternate_seats"),
        ):
            granted = getattr(self, field)
            if granted is not None and granted < len(labels[kind]):
                errors[field] = _(
                    "%(council)s has %(count)s %(kind)s seats (%(labels)s): remove seats "
                    "before lowering the grant to %(granted)s."
                ) % {
                    "council": self.name,
                    "count": len(labels[kind]),
                    "kind": Seat.Kind(kind).label.lower(),
                    "labels": ", ".join(labels[kind]),
                    "granted": granted,
                }
        if errors:
            raise ValidationError(errors)


class Seat(models.Model):
    class Kind(models.TextChoices):
        PRINCIPAL = "principal", _("Principal")
        ALTERNATE = "alternate", _("Alternate")

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="seats", verbose_name=_("council")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=80)

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["council", "kind", "label"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "label"],
                name="seat_unique_label_per_council",
                violation_error_message=_("This council already has a seat with this label."),
            ),
        ]

    def __str__(self):
        return f"{self.council}: {self.label}"

    def clean(self):
        super().clean()
        if self.council_id is None or self.kind not in Seat.Kind.values:
            return
        council = self.council
        granted = council.granted_seats(self.kind)
        others = list(
            council.seats.filter(kind=self.kind)
            .exclude(pk=self.pk)
            .order_by("label")
            .values_list("label", flat=True)
        )
        if len(others) >= granted:
            raise ValidationError(
                {
                    "kind": _(
                        "%(agreement)s grants %(council)s %(granted)s %(kind)s seats and it "
                        "already has %(count)s (%(labels)s): no further %(kind)s seat can be "
                        "added."
                    )
                    % {
                        "agreement": council.agreement.reference,
                        "council": council.name,
                        "granted": granted,
                        "kind": Seat.Kind(self.kind).label.lower(),
                        "count": len(others),
                        "labels": ", ".join(others) or "—",
                    }
                }
            )

    def vacant_since(self):
        """The first day of the current vacancy, None when the seat is held. Needs a seat
        from SeatQuerySet.with_current_appointments().with_last_held_until(). The vacancy
        starts the day after the last term ended or, for a seat never held, the day its
        agreement took effect, since the right to the seat exists from then."""
        if self.current_appointments:
            return None
        if self.last_held_until is not None:
            return self.last_held_until + datetime.timedelta(days=1)
        agreement = self.council.agreement
        return agreement.effective_from or agreement.signed_on


class Appointment(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    seat = models.ForeignKey(
        Seat, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("seat")
    )
    contact = models.ForeignKey(
        "members.Contact",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("contact"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED
    )
    decision = models.TextField(
        _("decision"), blank=True, help_text=_("The decision that made this appointment.")
    )

    history = HistoricalRecords()
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["seat", "-starts_on"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="appointment_ends_after_start",
                violation_error_message=_("An appointment must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["seat", "starts_on", "ends_on"])]

    def __str__(self):
        return f"{self.contact.name}, {self.seat} ({self.starts_on} – {self.ends_on})"

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # Remembered so the standing rule is judged only when the appointee or start changes.
        instance._loaded_appointee = (
            instance.__dict__.get("contact_id"),
            instance.__dict__.get("starts_on"),
        )
        return instance

    def ends_soon(self, today=None):
        """Whether this is a current term that ends within ENDING_SOON_DAYS."""
        today = today or timezone.localdate()
        return (
            self.status in (Appointment.Status.NOMINATED, Appointment.Status.ACTIVE)
            and self.starts_on <= today <= self.ends_on
            and (self.ends_on - today).days <= ENDING_SOON_DAYS
        )

    @property
    def ending_soon(self):
        return self.ends_soon()

    def describe(self):
        """The holder and dates, as conflict messages name another appointment."""
        return _("%(name)s (%(member)s) from %(start)s to %(end)s") % {
            "name": self.contact.name,
            "member": self.contact.member.name,
            "start": self.starts_on.isoformat(),
            "end": self.ends_on.isoformat(),
        }

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError(
                {
                    "ends_on": _(
                        "The term cannot end on %(end)s: that is not after its start on %(start)s."
                    )
                    % {"end": self.ends_on.isoformat(), "start": self.starts_on.isoformat()}
                }
            )
        if not (self.seat_id and self.contact_id and self.starts_on and self.ends_on):
            return
        if self.status == Appointment.Status.WITHDRAWN:
            # A withdrawn appointment occupies nothing, so no rule about others applies.
            return
        errors = {}
        if message := self.overlap_error():
            errors[NON_FIELD_ERRORS] = message
        appointee_errors = [
            message
            for message in (
                self.second_seat_error(),
                self.consecutive_terms_error(),
                self.standing_error(),
            )
            if message
        ]
        if appointee_errors:
            errors["contact"] = appointee_errors
        if errors:
            raise ValidationError(errors)

    def overlap_error(self):
        clash = (
            Appointment.objects.filter(seat_id=self.seat_id)
            .exclude(pk=self.pk)
            .overlapping(self.starts_on, self.ends_on)
            .select_related("contact__member")
            .order_by("starts_on")
            .first()
        )
        if clash is None:
            return None
        return _("%(seat)s is already held by %(other)s, which overlaps %(start)s to %(end)s.") % {
            "seat": self.seat.label,
            "other": clash.describe(),
            "start": self.starts_on.isoformat(),
            "end": self.ends_on.isoformat(),
        }

    def second_seat_error(self):
        """One person holds at most one seat of a council at a time."""
        clash = (
            Appointment.objects.filter(
                contact_id=self.contact_id, seat__council_id=self.seat.council_id
            )
            .exclude(seat_id=self.seat_id)
            .exclude(pk=self.pk)
            .overlapping(self.starts_on, self.ends_on)
            .select_related("seat", "contact__member")
            .first()
        )
        if clash is None:
            return None
        return _("%(name)s already holds %(seat)s at the same time: %(other)s.") % {
            "name": self.contact.name,
            "seat": clash.seat.label,
            "other": clash.describe(),
        }

    def consecutive_terms_error(self):
        """Counts the run of consecutive terms (CONSECUTIVE_TERM_MAX_GAP_DAYS) that this one
        would belong to, on any seat of the council, against the council's maximum."""
        council = self.seat.council
        terms = list(
            Appointment.objects.occupying()
            .filter(contact_id=self.contact_id, seat__council_id=council.pk)
            .exclude(pk=self.pk)
            .only("pk", "starts_on", "ends_on")
        )
        terms.append(self)
        terms.sort(key=lambda term: (term.starts_on, term.ends_on))
        runs = []
        for term in terms:
            if runs and follows_consecutively(runs[-1][1], term.starts_on):
                runs[-1][0].append(term)
                runs[-1][1] = max(runs[-1][1], term.ends_on)
            else:
                runs.append([[term], term.ends_on])
        run = next(run for run, _end in runs if any(term is self for term in run))
        if len(run) <= council.max_consecutive_terms:
            return None
        return _(
            "%(name)s would serve %(count)s consecutive terms on %(council)s, which allows "
            "%(max)s: %(terms)s."
        ) % {
            "name": self.contact.name,
            "count": len(run),
            "council": council.name,
            "max": council.max_consecutive_terms,
            "terms": "; ".join(
                f"{term.starts_on.isoformat()} – {term.ends_on.isoformat()}" for term in run
            ),
        }

    def standing_error(self):
        """The appointee must be a contact of a member in good standing (active, no overdue
        dues) at the start of the term. Standing is known only as it is today, so it is
        checked when an appointment is made or its appointee or start changes: for a term
        starting later, today's standing is the best knowledge of the standing at the start.
        Later edits to the record (a status, a note) do not re-judge a past decision."""
        from members.models import Member

        if getattr(self, "_loaded_appointee", None) == (self.contact_id, self.starts_on):
            return None
        member = self.contact.member
        standing = Member.objects.with_standing().get(pk=member.pk)
        if standing.status != Member.Status.ACTIVE:
            reason = _("its membership is %(status)s") % {
                "status": standing.get_status_display().lower()
            }
        elif standing.has_overdue_dues:
            reason = _("it has overdue dues")
        else:
            return None
        return _(
            "%(name)s cannot take a term starting on %(start)s: %(member)s is not in good "
            "standing (%(reason)s)."
        ) % {
            "name": self.contact.name,
            "start": self.starts_on.isoformat(),
            "member": member.name,
            "reason": reason,
        }


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")


class BriefingQuerySet(models.QuerySet):
    """Briefings (issue 6): what is published and who may read it."""

    def published(self):
        return self.filter(status=Briefing.Status.PUBLISHED)

    def public(self):
        return self.filter(audience=Audience.PUBLIC)

    def visible_to(self, roles):
        """Published briefings the viewer may read: members-only ones for member operators,
        the Board and the Secretariat, public ones for anyone."""
        published = self.published()
        if roles.is_member_operator or roles.may_see_register:
            return published
        return published.public()


class Briefing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to partner")
        APPROVED = "approved", _("Approved by partner")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("body (Markdown)"))
    topics = models.ManyToManyField(
        Topic, related_name="briefings", blank=True, verbose_name=_("topics")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="briefings",
        verbose_name=_("agreement"),
    )
    channel = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="briefings",
        verbose_name=_("partner channel"),
        help_text=_("The partner whose channels publish it; its approval is then required."),
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    partner_approved_by = models.CharField(_("approved by (partner)"), max_length=200, blank=True)
    partner_approved_on = models.DateField(_("partner approval date"), null=True, blank=True)
    partner_approval_reference = models.CharField(
        _("partner approval reference"), max_length=120, blank=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BriefingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(channel__isnull=True)
                | Q(partner_approved_on__isnull=False),
                name="briefing_partner_channel_needs_approval",
                violation_error_message=_(
                    "A briefing for a partner's channel cannot be published without the "
                    "partner's recorded approval."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="briefing_published_has_date",
                violation_error_message=_("A published briefing needs its publication time."),
            ),
        ]
        indexes = [models.Index(fields=["status", "audience", "-published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:briefing", args=[self.slug])


class BriefingMove(models.Model):
    """One step of a briefing's workflow: who moved it, from where to where, when."""

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="moves", verbose_name=_("briefing")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Briefing.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Briefing.Status.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("moved by"),
    )
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["briefing", "moved_at"]
        verbose_name = _("briefing move")
        verbose_name_plural = _("briefing moves")

    def __str__(self):
        return f"{self.briefing}: {self.from_status} → {self.to_status}"


class BriefingDelivery(models.Model):
    """One email of a members briefing to one contact; the unique pair makes it once only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("briefing")
    )
    contact = models.ForeignKey(
        "members.Contact",
        on_delete=models.CASCADE,
        related_name="briefing_deliveries",
        verbose_name=_("contact"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("briefing delivery")
        verbose_name_plural = _("briefing deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["briefing", "contact"], name="briefing_delivery_once_per_contact"
            ),
        ]
        indexes = [models.Index(fields=["briefing", "status"])]

    def __str__(self):
        return f"{self.briefing} → {self.contact}"


def exchange_path(instance, filename):
    return f"exchanges/{instance.exchanged_on:%Y}/{filename}"


class InformationExchange(models.Model):
    """Industry information sent to or received from a partner."""

    class Direction(models.TextChoices):
        SENT = "sent", _("Sent to partner")
        RECEIVED = "received", _("Received from partner")

    title = models.CharField(_("title"), max_length=200)
    exchanged_on = models.DateField(_("date"), default=timezone.localdate)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="information_exchanges",
        verbose_name=_("partner"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_exchanges",
        verbose_name=_("agreement"),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    description = models.TextField(_("description"), blank=True)
    attachment = models.FileField(
        _("attachment (PDF)"),
        storage=private_storage,
        upload_to=exchange_path,
        validators=[validate_pdf],
        blank=True,
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Confidentiality.choices, default=Confidentiality.BOARD
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-exchanged_on", "title"]
        verbose_name = _("information exchange")
        verbose_name_plural = _("information exchanges")

    def __str__(self):
        return self.title


class SentAlert(models.Model):
    """Remembers each alert that went out, so the daily run never sends the same one twice."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent alert")
        verbose_name_plural = _("sent alerts")

    def __str__(self):
        return self.key
