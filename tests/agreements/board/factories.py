"""Factories for the Board's decisions: meetings, resolutions, votes and action items."""

import datetime

import factory
from django.utils import timezone

from agreements.models import (
    ActionItem,
    AgendaItem,
    AgreementInterest,
    BoardMeeting,
    MeetingDocument,
    Minutes,
    Resolution,
    Vote,
)
from tests.agreements.factories import PDF_BYTES, AgreementFactory
from tests.members.factories import (
    BoardTermFactory,
    ContactFactory,
    MemberFactory,
    activate_totp,
)


def director(**contact_fields):
    """A contact with a login, its second factor and a current board term."""
    contact = BoardTermFactory(contact=ContactFactory(with_login=True, **contact_fields)).contact
    activate_totp(contact.user)
    return contact


class BoardMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    title = factory.Sequence(lambda n: f"Board meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    place = "Port of Spain"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(BoardMeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(BoardMeetingFactory)
    title = "Treasurer's report"
    file = factory.django.FileField(filename="report.pdf", data=PDF_BYTES)


class ResolutionFactory(factory.django.DjangoModelFactory):
    """An open vote by circulation, a week to go."""

    class Meta:
        model = Resolution

    title = factory.Sequence(lambda n: f"Resolution {n}")
    text = "The Board approves the renewal of the agreement."
    method = Resolution.Method.CIRCULATION
    deadline = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    resolution = factory.SubFactory(ResolutionFactory)
    director = factory.LazyFunction(director)
    choice = Vote.Choice.APPROVE


class MinutesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(BoardMeetingFactory)
    text = "The Board met and decided."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    title = factory.Sequence(lambda n: f"Action {n}")
    owner_contact = factory.LazyFunction(director)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))


class AgreementInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementInterest

    agreement = factory.SubFactory(AgreementFactory)
    member = factory.SubFactory(MemberFactory)
    kind = AgreementInterest.Kind.SPONSOR
