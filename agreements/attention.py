"""What needs the Board's attention, and what member operators should know about their
seats and briefings: attention item providers (canto_portal/attention.py) for the
agreements app's own data. Each is one count with a link to where it is handled."""

import datetime
from collections.abc import Iterator
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.apps import ALERTS, BRIEFINGS, REGISTER, SEATS
from agreements.models import (
    Agreement,
    Appointment,
    Briefing,
    Clearance,
    Commitment,
    Resolution,
    Seat,
    SentAlert,
)
from agreements.models.register import EXPIRING_WITHIN_DAYS
from canto_portal.attention import BOARD, MEMBER, SECRETARIAT, AttentionItem, Severity, provides
from canto_portal.formats import short_date
from members.apps import MEMBERS
from members.attention import ENDING_WITHIN_DAYS, Visit, admin_list, kept

REVIEW_DUE_WITHIN_DAYS = 30
# The member panel is the organisation's: it shows what its operators may see.
MEMBER_CLEARANCE = Clearance(may_see_register=False, is_member_operator=True)


def register_link(**filters) -> str:
    return f"{reverse('agreements:register')}?{urlencode(filters)}"


@provides(BOARD, shows=[REGISTER])
@kept(shows=[REGISTER])
def reviews(today: datetime.date) -> Iterator[AttentionItem]:
    yield AttentionItem(
        label=_("Reviews overdue"),
        count=Agreement.objects.review_overdue(today).count(),
        link=register_link(review_overdue="on"),
        severity=Severity.OVERDUE,
    )
    yield AttentionItem(
        label=_("Reviews due within 30 days"),
        count=Agreement.objects.review_due_within(REVIEW_DUE_WITHIN_DAYS, today).count(),
        link=register_link(sort="next_review_on"),
        severity=Severity.SOON,
    )


@provides(BOARD, shows=[REGISTER])
@kept(shows=[REGISTER])
def expiry(today: datetime.date) -> Iterator[AttentionItem]:
    yield AttentionItem(
        label=_("Agreements in their notice period"),
        count=Agreement.objects.in_notice_period(today).count(),
        link=register_link(expiring="on"),
        severity=Severity.OVERDUE,
    )
    yield AttentionItem(
        label=_("Agreements expiring within 90 days"),
        count=Agreement.objects.expiring_within(EXPIRING_WITHIN_DAYS, today).count(),
        link=register_link(expiring="on"),
        severity=Severity.SOON,
    )


@provides(BOARD, shows=[REGISTER])
@kept(shows=[REGISTER])
def commitments(today: datetime.date) -> Iterator[AttentionItem]:
    past_due = list(
        Agreement.objects.filter(commitments__in=Commitment.objects.past_due(today))
        .distinct()
        .values_list("reference", flat=True)
    )
    yield AttentionItem(
        label=_("Agreements with commitments past due"),
        count=len(past_due),
        # One agreement: straight to it; several: the register, sorted by reference.
        link=(
            reverse("agreements:detail", args=[past_due[0]])
            if len(past_due) == 1
            else register_link(sort="reference")
        ),
        severity=Severity.OVERDUE,
        detail=", ".join(past_due),
    )


@provides(BOARD, shows=[SEATS])
@kept(shows=[SEATS])
def seats(today: datetime.date) -> Iterator[AttentionItem]:
    representatives = reverse("agreements:representatives")
    yield AttentionItem(
        label=_("Council seats vacant"),
        count=Seat.objects.vacant(today).count(),
        link=representatives,
        severity=Severity.OVERDUE,
    )
    yield AttentionItem(
        label=_("Council seat terms ending within 90 days"),
        count=Appointment.objects.ending_within(ENDING_WITHIN_DAYS, today).count(),
        link=representatives,
        severity=Severity.SOON,
    )


# Resolutions belong to no scope: counted afresh on every view.
@provides(BOARD)
def decisions(today: datetime.date) -> Iterator[AttentionItem]:
    yield AttentionItem(
        label=_("Resolutions waiting for a vote"),
        count=Resolution.objects.open().count(),
        link=reverse("agreements:board_meetings"),
        severity=Severity.SOON,
    )


# Which terms the panel names follows the confidentiality of the agreements granting them.
@provides(MEMBER, shows=[SEATS, MEMBERS, REGISTER])
def seat_terms_ending(visit: Visit) -> Iterator[AttentionItem]:
    ending = list(
        Appointment.objects.visible_to(MEMBER_CLEARANCE, visit.today)
        .ending_within(ENDING_WITHIN_DAYS, visit.today)
        .filter(contact__member=visit.member)
        .select_related("contact", "seat__council")
        .order_by("ends_on")
    )
    if ending:
        yield AttentionItem(
            label=_("Council seat terms of your people ending within 90 days"),
            count=len(ending),
            link=reverse("agreements:representatives"),
            severity=Severity.SOON,
            detail=", ".join(
                f"{appointment.contact.name}, {appointment.seat.council} "
                f"({short_date(appointment.ends_on)})"
                for appointment in ending
            ),
        )


@provides(MEMBER, shows=[BRIEFINGS])
def briefings_since_last_visit(visit: Visit) -> Iterator[AttentionItem]:
    published = Briefing.objects.visible_to(MEMBER_CLEARANCE)
    if visit.last_visit:
        published = published.filter(Q(published_at__gt=visit.last_visit))
    yield AttentionItem(
        label=_("Briefings published since your last visit"),
        count=published.count(),
        link=reverse("agreements:briefings"),
        severity=Severity.INFO,
    )


@provides(SECRETARIAT, shows=[SEATS, BRIEFINGS, ALERTS])
@kept(shows=[SEATS, BRIEFINGS, ALERTS])
def back_office(today: datetime.date) -> Iterator[AttentionItem]:
    yield AttentionItem(
        label=_("Council seat terms ending within 90 days"),
        count=Appointment.objects.ending_within(ENDING_WITHIN_DAYS, today).count(),
        link=admin_list(Appointment, term="ending"),
        severity=Severity.SOON,
    )
    yield AttentionItem(
        label=_("Council seats vacant"),
        count=Seat.objects.vacant(today).count(),
        link=admin_list(Seat, occupancy="vacant"),
        severity=Severity.OVERDUE,
    )
    yield AttentionItem(
        label=_("Briefings waiting for the partner"),
        count=Briefing.objects.filter(status=Briefing.Status.SUBMITTED).count(),
        link=admin_list(Briefing, status__exact=Briefing.Status.SUBMITTED),
    )
    week_ago = today - datetime.timedelta(days=7)
    yield AttentionItem(
        label=_("Alerts sent in the last 7 days"),
        count=SentAlert.objects.filter(sent_at__date__gt=week_ago).count(),
        link=admin_list(
            SentAlert,
            sent_at__gte=week_ago.isoformat(),
        ),
    )
