"""Two appointments to one seat at the same moment, from two database connections: only one
may win. Needs real concurrent transactions, so PostgreSQL only; SQLite takes one
writer at a time and has no exclusion constraint to test."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from agreements.models import Appointment, Seat
from agreements.services import appoint
from tests.agreements.factories_seats import AppointmentFactory, SeatFactory
from tests.concurrency import at_once
from tests.members.factories import ContactFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent appointments need PostgreSQL: SQLite serialises writers and has no "
        "exclusion constraint. Run with DATABASE_URL=postgres://… to include this test.",
    ),
    # Real commits from two connections; serialized_rollback restores the production data
    # (the ISOC agreement and council) that flushing the database after the test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STARTS_ON = datetime.date(2026, 5, 1)


def appoint_at_once(seat, contacts):
    """appoint() for each contact on its own connection, all at the same moment."""
    return at_once(
        [
            lambda contact=contact: appoint(seat=seat, contact=contact, starts_on=STARTS_ON)
            for contact in contacts
        ]
    )


@pytest.fixture
def slow_validation(monkeypatch):
    """A moment passes between the checks and the insert, so both transactions are open at
    the same time: without the seat lock both would pass their checks before either saves."""
    full_clean = Appointment.full_clean

    def slow_full_clean(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(Appointment, "full_clean", slow_full_clean)


def test_only_one_of_two_concurrent_appointments_to_a_seat_wins(slow_validation):
    seat = SeatFactory()
    outcomes = appoint_at_once(seat, [ContactFactory(), ContactFactory()])
    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "Appointment",
        "ValidationError",
    ]
    assert Appointment.objects.filter(seat=seat).count() == 1


def test_loser_of_a_concurrent_appointment_is_told_who_won(slow_validation):
    seat = SeatFactory()
    outcomes = appoint_at_once(seat, [ContactFactory(), ContactFactory()])
    winner = Appointment.objects.select_related("contact").get(seat=seat)
    refusal = next(outcome for outcome in outcomes if isinstance(outcome, ValidationError))
    assert f"already held by {winner.contact.name}" in " ".join(refusal.messages)


def test_database_keeps_only_one_even_without_the_seat_lock(slow_validation, monkeypatch):
    # Without the lock both checks in code pass before either commits: the exclusion
    # constraint is then what refuses the second, and appoint() reports it as a conflict.
    monkeypatch.setattr(
        Seat.objects.__class__, "lock_for_appointment", lambda manager, pk: Seat.objects.get(pk=pk)
    )
    seat = SeatFactory()
    outcomes = appoint_at_once(seat, [ContactFactory(), ContactFactory()])
    assert sum(isinstance(outcome, ValidationError) for outcome in outcomes) == 1
    assert Appointment.objects.filter(seat=seat).count() == 1


def test_an_appointment_aborted_to_break_a_deadlock_over_the_seat_is_refused_as_a_conflict():
    # PostgreSQL checks the exclusion constraint after inserting the row, so two transactions
    # whose rows overlap each other's can wait for each other; it aborts one to break the
    # deadlock. Here another transaction holds February to April and then adds June to August,
    # while the appointment for March to July waits for the first of those rows.
    seat = SeatFactory()
    contact = ContactFactory()

    def other_transaction():
        with transaction.atomic():
            for first, last in [((2, 1), (4, 30)), ((6, 1), (8, 31))]:
                held = AppointmentFactory(
                    seat=seat,
                    starts_on=datetime.date(2026, *first),
                    ends_on=datetime.date(2026, *last),
                )
                time.sleep(0.5)
        return held

    def appointment_in_between():
        time.sleep(0.2)
        return appoint(
            seat=seat,
            contact=contact,
            starts_on=datetime.date(2026, 3, 1),
            ends_on=datetime.date(2026, 7, 31),
        )

    other_outcome, outcome = at_once([other_transaction, appointment_in_between])
    assert isinstance(other_outcome, Appointment)
    assert isinstance(outcome, ValidationError)
    assert not Appointment.objects.filter(contact=contact).exists()
