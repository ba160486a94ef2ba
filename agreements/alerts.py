"""Email alerts about the agreement register, for a daily cron (`manage.py send_alerts`).

Producers are plain functions `producer(today)` yielding `Alert`s; ALERT_PRODUCERS lists them
and other parts of the app add theirs to it (for example council seats ending). Each alert
has a key naming exactly what it is about, including the date it is about, so the same
situation always yields the same key and a changed one (a new expiry or review date) a new key.

Once only: `send_alerts` records the key in SentAlert (its `key` is unique) in the same
database transaction as the sending, and commits only after the mail server accepted the
message:
* run twice (or by two crons at once), the second run finds the key, or waits on the unique
  index until the first commits and then finds it, and sends nothing;
* if sending fails, the transaction rolls back, nothing is recorded and the next run retries;
* if the process dies after the mail server accepted the message and before the commit, the
  key is not recorded and the next run sends again. That window is the commit itself, and a
  mail system cannot take part in the database transaction. The message then carries the same
  Message-ID as the first attempt, which mail servers and clients use to drop the duplicate.
"""

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import Agreement, Appointment, Commitment, Seat, SentAlert
from canto_portal.links import absolute_url
from members.models import BoardTerm, Contact
from members.roles import SECRETARIAT_GROUP

logger = logging.getLogger(__name__)

# Days before an expiry at which the responsible staff member and the Board are told.
EXPIRY_NOTICE_DAYS = (90, 30, 7)


@dataclass
class Alert:
    key: str
    subject: str
    recipients: list
    template: str
    context: dict = field(default_factory=dict)


def board_emails(today):
    """The email addresses of today's Board: contacts with a current board term."""
    return list(
        Contact.objects.filter(board_terms__in=BoardTerm.objects.current(on=today))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def recipients_for(agreement, board):
    """The agreement's responsible staff member and the Board, each address once."""
    addresses = list(board)
    if agreement.responsible and agreement.responsible.email:
        addresses.insert(0, agreement.responsible.email)
    return list(dict.fromkeys(address.lower() for address in addresses))


def expiry_threshold(days_left):
    """The tightest notice period an expiry `days_left` away falls in, or None. A run that
    missed days still sends the notice that fits, and only that one."""
    fitting = [days for days in EXPIRY_NOTICE_DAYS if 0 <= days_left <= days]
    return min(fitting) if fitting else None


def agreement_alert(agreement, board, key, subject, template, **context):
    """An alert about one agreement, to its responsible staff member and the Board, linking
    to the agreement's page."""
    return Alert(
        key=key,
        subject=subject,
        recipients=recipients_for(agreement, board),
        template=template,
        context={
            "agreement": agreement,
            "url": absolute_url(agreement.get_absolute_url()),
            **context,
        },
    )


def expiring_agreements(today):
    board = board_emails(today)
    agreements = Agreement.objects.expiring_within(max(EXPIRY_NOTICE_DAYS), today).select_related(
        "responsible"
    )
    for agreement in agreements:
        days_left = (agreement.expires_on - today).days
        threshold = expiry_threshold(days_left)
        if threshold is None:
            continue
        yield agreement_alert(
            agreement,
            board,
            key=f"agreement-expiry:{agreement.reference}:{agreement.expires_on}:{threshold}d",
            subject=_("%(reference)s expires in %(days)s days, on %(date)s")
            % {"reference": agreement.reference, "days": days_left, "date": agreement.expires_on},
            template="emails/alert_expiring",
            days_left=days_left,
        )


def overdue_reviews(today):
    board = board_emails(today)
    for agreement in Agreement.objects.review_overdue(today).select_related("responsible"):
        yield agreement_alert(
            agreement,
            board,
            key=f"review-overdue:{agreement.reference}:{agreement.next_review_on}",
            subject=_("Board review of %(reference)s is overdue since %(date)s")
            % {"reference": agreement.reference, "date": agreement.next_review_on},
            template="emails/alert_review_overdue",
        )


def past_due_commitments(today):
    board = board_emails(today)
    commitments = (
        Commitment.objects.filter(
            due_on__lt=today,
            agreement__status__in=[Agreement.Status.ACTIVE, Agreement.Status.NEGOTIATION],
        )
        .exclude(status__in=[Commitment.Status.MET, Commitment.Status.LAPSED])
        .select_related("agreement__responsible")
    )
    for commitment in commitments:
        agreement = commitment.agreement
        yield agreement_alert(
            agreement,
            board,
            key=f"commitment-past-due:{agreement.reference}:{commitment.number}:{commitment.due_on}",
            subject=_("Commitment %(number)s of %(reference)s was due on %(date)s")
            % {
                "number": commitment.number,
                "reference": agreement.reference,
                "date": commitment.due_on,
            },
            template="emails/alert_commitment_past_due",
            commitment=commitment,
        )


# The register's own producers (issue 4).
REGISTER_ALERT_PRODUCERS = [expiring_agreements, overdue_reviews, past_due_commitments]
# Everything send_alerts runs; other parts of the app add their producers here.
ALERT_PRODUCERS = [*REGISTER_ALERT_PRODUCERS]


def message_id(key):
    """The same Message-ID for every attempt at one alert, so a resend after a crash is
    recognised as the same message."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<alert.{digest}@canto-portal>"


def build_message(alert):
    context = {**alert.context, "alert": alert}
    return EmailMultiAlternatives(
        subject=alert.subject,
        body=render_to_string(f"{alert.template}.txt", context),
        to=alert.recipients,
        headers={"Message-ID": message_id(alert.key)},
        alternatives=[(render_to_string(f"{alert.template}.html", context), "text/html")],
    )


def send_alert(alert):
    """Sends one alert unless its key is recorded; True when it went out now."""
    try:
        with transaction.atomic():
            # Recorded first, inside the transaction: a concurrent run blocks here until this
            # one commits, then fails on the unique key and skips.
            SentAlert.objects.create(key=alert.key, recipients=", ".join(alert.recipients))
            build_message(alert).send()
    except IntegrityError:
        return False
    return True


def send_alerts(today=None, producers=None):
    """Sends every alert due today that has not gone out before; returns those sent.

    A failing alert is logged and left unrecorded for the next run; the others still go."""
    today = today or timezone.localdate()
    sent = []
    with translation.override(settings.LANGUAGE_CODE):
        for producer in producers or ALERT_PRODUCERS:
            for alert in producer(today):
                if not alert.recipients:
                    logger.warning("Alert %s has nobody to go to; not sent.", alert.key)
                    continue
                if SentAlert.objects.filter(key=alert.key).exists():
                    continue
                try:
                    if send_alert(alert):
                        sent.append(alert)
                except Exception:
                    logger.exception("Alert %s could not be sent; the next run retries.", alert.key)
    return sent


# Council seats (issue 5)

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


def seat_recipients(council, staff):
    """The staff member responsible for the council's agreement and the Secretariat, who fill
    the seats, each address once."""
    addresses = list(staff)
    responsible = council.agreement.responsible
    if responsible and responsible.email:
        addresses.insert(0, responsible.email)
    return list(dict.fromkeys(address.lower() for address in addresses))


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
            subject=_("%(name)s's term on %(seat)s ends in %(days)s days, on %(date)s")
            % {
                "name": appointment.contact.name,
                "seat": seat,
                "days": days_left,
                "date": appointment.ends_on,
            },
            recipients=seat_recipients(seat.council, staff),
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
            subject=_("%(seat)s has been vacant since %(date)s") % {"seat": seat, "date": since},
            recipients=seat_recipients(seat.council, staff),
            template="emails/seat_alert_vacant",
            context={
                "seat": seat,
                "since": since,
                "days": (today - since).days,
                "url": absolute_url(reverse("admin:agreements_appointment_add")),
            },
        )


ALERT_PRODUCERS += [terms_ending, seats_vacant]
