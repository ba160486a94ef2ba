"""Factories for council seats. Factories save without model validation, to set up
situations; tests of the rules go through full_clean or agreements.services.appoint."""

import datetime

import factory

from agreements.models import Appointment, Council, Seat
from tests.agreements.factories import AgreementFactory
from tests.members.factories import ContactFactory


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    name = factory.Sequence(lambda n: f"Partner Council {n}")
    agreement = factory.SubFactory(AgreementFactory)
    partner = factory.LazyAttribute(lambda o: o.agreement.partners.first())
    granted_principal_seats = 2
    granted_alternate_seats = 1
    term_months = 24
    max_consecutive_terms = 2


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    council = factory.SubFactory(CouncilFactory)
    kind = Seat.Kind.PRINCIPAL
    label = factory.Sequence(lambda n: f"Seat {n}")


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A two-year active term; pass starts_on (and ends_on) to place it."""

    class Meta:
        model = Appointment

    seat = factory.SubFactory(SeatFactory)
    contact = factory.SubFactory(ContactFactory)
    starts_on = datetime.date(2025, 5, 1)
    ends_on = factory.LazyAttribute(lambda o: o.seat.council.term_end(o.starts_on))
    status = Appointment.Status.ACTIVE
    decision = "Designated by the Board."
