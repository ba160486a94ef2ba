"""Demo terms on the ISOC Advisory Council's seats (the council itself is production data)."""

import datetime

from agreements.models import (
    Appointment,
    Council,
    Seat,
    add_months,
)
from agreements.services import appoint
from members.models import Contact, Member

ISOC_COUNCIL = "ISOC Advisory Council"


def seed_councils(today):
    """ISOC's Advisory Council as the demo shows it: both principal seats held by contacts of
    members in good standing, a vacant alternate seat, and a history of earlier terms (two
    consecutive terms of one person, a vacancy between terms, a term ending within 90 days).

    The history is written once: when the council's seats already have appointments, a new
    run leaves them as they are, since moving dates under existing terms would overlap them."""
    council = Council.objects.filter(name=ISOC_COUNCIL).first()
    if council is None:
        return
    # Demo only: the 2015 agreement names two principal representatives and no alternates,
    # so production data grants none (migration 0003). The demo grants one, left vacant, to
    # show what a vacancy looks like on /representatives/ and in the alerts.
    if council.granted_alternate_seats < 1:
        council.granted_alternate_seats = 1
        council.save(update_fields=["granted_alternate_seats"])
    Seat.objects.get_or_create(
        council=council, label="Alternate seat", defaults={"kind": Seat.Kind.ALTERNATE}
    )
    principal = list(council.seats.filter(kind=Seat.Kind.PRINCIPAL).order_by("label"))
    if len(principal) < 2 or Appointment.objects.filter(seat__council=council).exists():
        return
    members = Member.objects.in_good_standing().order_by("slug")[:6]
    people = [member.contacts.get(role=Contact.Role.PRIMARY) for member in members]
    for seat, terms in zip(principal, demo_terms(council, today), strict=True):
        for person, starts_on, ends_on in terms:
            appoint(
                seat=seat,
                contact=people[person],
                starts_on=starts_on,
                ends_on=ends_on,
                status=Appointment.Status.ENDED if ends_on < today else Appointment.Status.ACTIVE,
                decision="Designated by the CANTO Board (fictional demo decision).",
            )


def demo_terms(council, today):
    """(person index, starts on, ends on) per principal seat, relative to today. Seat 1: one
    term, then two consecutive terms of one person, then a current term. Seat 2: one term,
    a six-month vacancy, another term, then a current term ending in about 60 days."""
    day = datetime.timedelta(days=1)

    def back(starts_on, terms=1):
        return add_months(starts_on, -council.term_months * terms)

    current_1 = today - 300 * day
    seat_1 = [
        (0, back(current_1, 3), back(current_1, 2) - day),
        (1, back(current_1, 2), back(current_1) - day),
        (1, back(current_1), current_1 - day),
        (2, current_1, council.term_end(current_1)),
    ]
    current_2 = back(today + 60 * day) + day
    earlier_2 = back(current_2)
    first_2_ends = add_months(earlier_2, -6) - day
    seat_2 = [
        (3, back(first_2_ends + day), first_2_ends),
        (4, earlier_2, current_2 - day),
        (5, current_2, council.term_end(current_2)),
    ]
    return [seat_1, seat_2]
