"""Alerts about council seats: terms ending and seats left vacant."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.alerts.sending import Alert, recipients
from agreements.models import Appointment, Seat
from canto_portal.links import absolute_url
from canto_portal.migration_helpers import SECRETARIAT_GROUP

# Days before a term ends at which the Secretariat is told; a vacancy is reported once it
# has lasted longer than VACANCY_NOTICE_DAYS.
TERM_NOTICE_DAYS = (90, 30)
VACANCY_NOTICE_DAYS = 30


def secretariat_emails():
    return list(
        get_user_model()
        .objects.filter(groups__name=SECRETARIAT_GROUP, is_active=True, is_staff=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def terms_ending(today):
    """A term ending within 90 days, and again within 30: the tightest notice that fits, so a
    missed run still sends it, and a term already 20 days from its end gets only the 30-day
    notice."""
    staff = secretariat_emails()
    appointments = Appointment.objects.ending_within(max(TERM_NOTICE_DAYS), today).select_related(
        "contact__member", "seat__council__agreement__responsible"
    )
    for appointment in appointments:
        days_left = (appointment.ends_on - today).days
        notice = min(days for days in TERM_NOTICE_DAYS if days_left <= days)
        seat = appointment.seat
        yield Alert(
            key=f"seat-term-ending:{appointment.pk}:{appointment.ends_on}:{notice}d",
            subject=_("%(name)s's term on %(seat)s ends in %(days)s days, on %(date)s"),
            subject_values={
                "name": appointment.contact.name,
                "seat": seat,
                "days": days_left,
                "date": appointment.ends_on,
            },
            recipients=recipients(seat.council.agreement.responsible, staff),
            template="emails/seat_alert_term_ending",
            context={
                "appointment": appointment,
                "days_left": days_left,
                "url": absolute_url(reverse("agreements:representatives")),
            },
        )


def seats_vacant(today):
    """A seat vacant for more than 30 days, once per vacancy: the key holds the day the
    vacancy began, so a seat filled and vacated again is reported again."""
    staff = secretariat_emails()
    seats = (
        Seat.objects.vacant(today)
        .with_current_appointments(today)
        .with_last_held_until(today)
        .select_related("council__agreement__responsible")
    )
    for seat in seats:
        since = seat.vacant_since()
        if since is None or (today - since).days <= VACANCY_NOTICE_DAYS:
            continue
        yield Alert(
            key=f"seat-vacant:{seat.pk}:{since}",
            subject=_("%(seat)s has been vacant since %(date)s"),
            subject_values={"seat": seat, "date": since},
            recipients=recipients(seat.council.agreement.responsible, staff),
            template="emails/seat_alert_vacant",
            context={
                "seat": seat,
                "since": since,
                "days": (today - since).days,
                "url": absolute_url(reverse("admin:agreements_appointment_add")),
            },
        )
