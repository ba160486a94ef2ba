import calendar
import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.register import Agreement, Clearance, Partner
from canto_portal.formats import short_date
from canto_portal.versions import WatchedQuerySet

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


class CouncilQuerySet(WatchedQuerySet):
    def visible_to(self, clearance: Clearance):
        """Councils the viewer may know of: those granted by an agreement they may see. A
        council, its seats and their holders tell what the agreement grants CANTO, so they
        are as confidential as the agreement itself."""
        return self.filter(agreement__in=Agreement.objects.visible_to(clearance))


class SeatQuerySet(WatchedQuerySet):
    def visible_to(self, clearance: Clearance):
        """Seats of the councils the viewer may see (CouncilQuerySet.visible_to)."""
        return self.filter(council__in=Council.objects.visible_to(clearance))

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

    def with_appointments_held_on(self, day: datetime.date, clearance: Clearance):
        """Prefetches `current_appointments` as they were on `day`: the terms that covered it,
        whatever became of them since (ended terms included, withdrawn ones never held), of
        those the viewer may see (AppointmentQuerySet.visible_to)."""
        return self.prefetch_related(
            models.Prefetch(
                "appointments",
                queryset=Appointment.objects.visible_to(clearance)
                .occupying()
                .filter(starts_on__lte=day, ends_on__gte=day)
                .select_related("contact__member"),
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


class AppointmentQuerySet(WatchedQuerySet):
    def visible_to(self, clearance: Clearance, today: datetime.date | None = None):
        """Terms the viewer may see: on the seats they may see (SeatQuerySet.visible_to) and,
        but for the Board and the Secretariat, begun by today. A nominee is the Board's
        decision, not announced before the term starts, whatever day a page is asked for."""
        visible = self.filter(seat__in=Seat.objects.visible_to(clearance))
        if clearance.may_see_register:
            return visible
        return visible.filter(starts_on__lte=today or timezone.localdate())

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

    objects = CouncilQuerySet.as_manager()

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
    # Filled by prefetches: SeatQuerySet.with_current_appointments() and timeline_seats().
    current_appointments: list["Appointment"]
    timeline_appointments: list["Appointment"]

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

    def ending_soon(self, today=None):
        """Whether this is a current term that ends within ENDING_SOON_DAYS (templates call it
        for today)."""
        today = today or timezone.localdate()
        return (
            self.status in (Appointment.Status.NOMINATED, Appointment.Status.ACTIVE)
            and self.starts_on <= today <= self.ends_on
            and (self.ends_on - today).days <= ENDING_SOON_DAYS
        )

    def describe(self):
        """The holder and dates, as conflict messages name another appointment."""
        return _("%(name)s (%(member)s) from %(start)s to %(end)s") % {
            "name": self.contact.name,
            "member": self.contact.member.name,
            "start": short_date(self.starts_on),
            "end": short_date(self.ends_on),
        }

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError(
                {
                    "ends_on": _(
                        "The term cannot end on %(end)s: that is not after its start on %(start)s."
                    )
                    % {
                        "end": short_date(self.ends_on),
                        "start": short_date(self.starts_on),
                    }
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
            "start": short_date(self.starts_on),
            "end": short_date(self.ends_on),
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
                f"{short_date(term.starts_on)} – {short_date(term.ends_on)}" for term in run
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
            "start": short_date(self.starts_on),
            "member": member.name,
            "reason": reason,
        }


def holds_a_seat_from(day: datetime.date) -> Exists:
    """A condition on Contact rows: the contact holds a council seat on `day` or is
    nominated to one after it. Who holds a seat speaks for CANTO, so their address and login
    are the Secretariat's to change."""
    return Exists(
        Appointment.objects.filter(
            contact=OuterRef("pk"),
            status__in=[Appointment.Status.NOMINATED, Appointment.Status.ACTIVE],
            ends_on__gte=day,
        )
    )
