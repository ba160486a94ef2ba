"""Rules of council seats: appointments and the seat timeline."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    Appointment,
    Clearance,
    Seat,
)
from agreements.models.seats import SeatQuerySet
from canto_portal.formats import short_date
from members.models import Contact

# The PostgreSQL exclusion constraint added by migration 0003.
APPOINTMENT_OVERLAP_CONSTRAINT = "appointment_no_overlap_per_seat"
# PostgreSQL's SQLSTATE for a transaction aborted to break a deadlock.
DEADLOCK_DETECTED = "40P01"


def appoint(
    *,
    seat: Seat,
    contact: Contact,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    status: str | None = None,
    decision: str = "",
) -> Appointment:
    """Appoints a contact to a seat and returns the saved appointment, or raises a
    ValidationError naming the conflict; nothing is saved then.

    ends_on defaults to a full term of the council (Council.term_end); status defaults to
    active for a term that has started and nominated for one that starts later."""
    if status is None:
        status = (
            Appointment.Status.ACTIVE
            if starts_on <= timezone.localdate()
            else Appointment.Status.NOMINATED
        )
    ends_on = ends_on or seat.council.term_end(starts_on)
    try:
        with transaction.atomic():
            # Lock the seat and its council first: a concurrent appointment to the council
            # waits here until this one commits, then its checks see this appointment.
            seat = Seat.objects.lock_for_appointment(seat.pk)
            appointment = Appointment(
                seat=seat,
                contact=contact,
                starts_on=starts_on,
                ends_on=ends_on,
                status=status,
                decision=decision,
            )
            appointment.full_clean()
            appointment.save()
    except (IntegrityError, OperationalError) as error:
        raise overlap_conflict(error, appointment) from error
    return appointment


def overlap_conflict(error, appointment):
    """The ValidationError for the PostgreSQL exclusion constraint refusing an overlapping
    appointment that got past the checks in code; other database errors are re-raised."""
    if not (APPOINTMENT_OVERLAP_CONSTRAINT in str(error) or lost_exclusion_deadlock(error)):
        raise error
    return ValidationError(
        appointment.overlap_error()
        or _("%(seat)s already has an appointment overlapping %(start)s to %(end)s.")
        % {
            "seat": appointment.seat.label,
            "start": short_date(appointment.starts_on),
            "end": short_date(appointment.ends_on),
        }
    )


def lost_exclusion_deadlock(error: Exception) -> bool:
    """Whether PostgreSQL aborted this insert to break a deadlock between two overlapping
    appointments. It checks an exclusion constraint after inserting the row, so two
    transactions that insert overlapping rows at once each wait for the other; it aborts one,
    and the other keeps the seat."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    return (
        getattr(cause, "sqlstate", None) == DEADLOCK_DETECTED
        and diag is not None
        and "exclusion constraint" in (diag.context or "")
        and Appointment._meta.db_table in (diag.context or "")
    )


def representative_seats(
    *, clearance: Clearance, today: datetime.date | None = None
) -> SeatQuerySet:
    """Every council seat the viewer may see with its current holder
    (`current_appointments`), principal seats first: the list /representatives/ and the
    member portal show. Three queries."""
    return (
        Seat.objects.visible_to(clearance)
        .select_related("council__partner", "council__agreement")
        .with_current_appointments(today)
        # "principal" sorts after "alternate", so descending puts principal seats first.
        .order_by("council__name", "-kind", "label")
    )


@dataclass
class TimelineSegment:
    """One bar of a seat's row: a term or a vacancy, placed in percent of the window."""

    starts_on: datetime.date
    ends_on: datetime.date | None
    left: str
    width: str
    appointment: Appointment | None = None
    ending_soon: bool = False
    # A vacancy with no term after it (ends_on None): it lasts until someone is appointed.
    open_ended: bool = False

    @property
    def vacant(self):
        return self.appointment is None


@dataclass
class TimelineRow:
    seat: Seat
    segments: list
    y: int


@dataclass
class SeatTimeline:
    starts_on: datetime.date
    ends_on: datetime.date
    today_left: str
    years: list
    rows: list
    height: int


TIMELINE_MAX_YEARS_BACK = 10
TIMELINE_MAX_YEARS_AHEAD = 4
# Rows of the timeline picture, in SVG user units (pixels).
TIMELINE_AXIS_HEIGHT = 24
TIMELINE_ROW_HEIGHT = 36


def seat_timeline(seats: list[Seat], today: datetime.date | None = None) -> SeatTimeline:
    """Who held which seat when, and the vacancies between, as rows of bars for a picture.

    `seats` must come with `timeline_appointments` (see timeline_seats). The window runs
    from the first of January of the earliest term (at most ten years back, and at least a
    year back) to the last of December after the latest term (at most four years ahead).
    Positions are strings in percent with a dot, so a Spanish page still writes valid SVG."""
    today = today or timezone.localdate()
    seats = list(seats)
    starts = [a.starts_on for seat in seats for a in seat.timeline_appointments]
    ends = [a.ends_on for seat in seats for a in seat.timeline_appointments]
    first_year = max(
        min([*starts, today - datetime.timedelta(days=365)]).year,
        today.year - TIMELINE_MAX_YEARS_BACK,
    )
    last_year = min(
        max([*ends, today + datetime.timedelta(days=365)]).year,
        today.year + TIMELINE_MAX_YEARS_AHEAD,
    )
    window_start = datetime.date(first_year, 1, 1)
    window_end = datetime.date(last_year, 12, 31)
    total_days = (window_end - window_start).days + 1

    def percent(day):
        return f"{(day - window_start).days * 100 / total_days:.3f}"

    def add_segment(segments, starts_on, ends_on, appointment=None):
        """Adds a bar with its true dates (ends_on None: a vacancy until filled), placed and
        sized by the part of it inside the window; a bar wholly outside is left out."""
        shown_from, shown_to = max(starts_on, window_start), min(ends_on or window_end, window_end)
        if shown_from > shown_to:
            return
        width = ((shown_to - shown_from).days + 1) * 100 / total_days
        segments.append(
            TimelineSegment(
                starts_on=starts_on,
                ends_on=ends_on,
                left=percent(shown_from),
                width=f"{width:.3f}",
                appointment=appointment,
                ending_soon=appointment is not None and appointment.ending_soon(today),
                open_ended=ends_on is None,
            )
        )

    rows: list[TimelineRow] = []
    for seat in seats:
        agreement = seat.council.agreement
        # Before the agreement took effect there was no seat, so no vacancy either.
        cursor = agreement.effective_from or agreement.signed_on or window_start
        segments: list[TimelineSegment] = []
        for appointment in seat.timeline_appointments:
            if appointment.starts_on > cursor:
                add_segment(segments, cursor, appointment.starts_on - datetime.timedelta(days=1))
            add_segment(segments, appointment.starts_on, appointment.ends_on, appointment)
            cursor = max(cursor, appointment.ends_on + datetime.timedelta(days=1))
        add_segment(segments, cursor, None)
        y = TIMELINE_AXIS_HEIGHT + len(rows) * TIMELINE_ROW_HEIGHT
        rows.append(TimelineRow(seat=seat, segments=segments, y=y))
    return SeatTimeline(
        starts_on=window_start,
        ends_on=window_end,
        today_left=percent(today),
        years=[
            (year, percent(datetime.date(year, 1, 1))) for year in range(first_year, last_year + 1)
        ],
        rows=rows,
        height=TIMELINE_AXIS_HEIGHT + len(rows) * TIMELINE_ROW_HEIGHT,
    )


def timeline_seats(seats):
    """Adds `timeline_appointments` to seats: every term that occupied the seat, oldest
    first, with the holder and organisation, in one query for all seats."""
    return seats.prefetch_related(
        Prefetch(
            "appointments",
            queryset=Appointment.objects.occupying()
            .select_related("contact__member")
            .order_by("starts_on"),
            to_attr="timeline_appointments",
        )
    )
