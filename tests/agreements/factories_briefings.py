"""Factories for briefings and information exchanges."""

import datetime

import factory
from django.utils import timezone

from agreements.models import Audience, Briefing, Confidentiality, InformationExchange, Topic
from tests.agreements.factories import PDF_BYTES, PartnerFactory


def topic(slug):
    """A topic of the production data (migration 0004)."""
    return Topic.objects.get(slug=slug)


class BriefingFactory(factory.django.DjangoModelFactory):
    """A public draft without a partner channel. Traits: `published`, `members`, and
    `isoc_approved` (through a partner channel, with the partner's approval recorded)."""

    class Meta:
        model = Briefing
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Briefing.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )
        members = factory.Trait(audience=Audience.MEMBERS)
        isoc_approved = factory.Trait(
            channel=factory.SubFactory(PartnerFactory, name="Internet Society (test)"),
            status=Briefing.Status.APPROVED,
            partner_approved_by="ISOC Regional Bureau",
            partner_approved_on=datetime.date(2026, 1, 5),
            partner_approval_reference="ISOC-2026-001",
        )

    title = factory.Sequence(lambda n: f"Briefing on the Internet sector {n}")
    slug = factory.Sequence(lambda n: f"briefing-{n}")
    summary = "A short summary."
    body = "Some **Markdown** text."
    audience = Audience.PUBLIC
    status = Briefing.Status.DRAFT

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class InformationExchangeFactory(factory.django.DjangoModelFactory):
    """Writes a real PDF to private storage: use it with the tmp_private_storage fixture."""

    class Meta:
        model = InformationExchange

    title = factory.Sequence(lambda n: f"Industry report {n}")
    exchanged_on = datetime.date(2026, 3, 2)
    partner = factory.SubFactory(PartnerFactory)
    direction = InformationExchange.Direction.RECEIVED
    attachment = factory.django.FileField(filename="report.pdf", data=PDF_BYTES)
    confidentiality = Confidentiality.PUBLIC
