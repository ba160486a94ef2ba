"""Shared factories for the agreements app (register, council seats, briefings reuse them)."""

import datetime
import io

import factory
from pypdf import PdfWriter

from agreements.models import (
    Activity,
    Agreement,
    AgreementDocument,
    Commitment,
    Confidentiality,
    Partner,
    Review,
    Signatory,
)
from tests.members.factories import UserFactory


def blank_pdf():
    """The smallest file that passes agreements.validators.validate_pdf: a real, blank,
    one-page PDF."""
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = blank_pdf()


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    kind = Partner.Kind.REGIONAL
    country = "TT"
    website = "https://partner.example"


class AgreementFactory(factory.django.DjangoModelFactory):
    """An active agreement; pass partners=[...] to choose them, otherwise one new partner."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CANTO-AGR-2030-{n % 1000:03d}")
    title = factory.Sequence(lambda n: f"Cooperation agreement {n}")
    kind = Agreement.Kind.COOPERATION
    status = Agreement.Status.ACTIVE
    signed_on = datetime.date(2024, 3, 1)
    signed_at = "Port of Spain"
    effective_from = datetime.date(2024, 3, 1)
    expires_on = datetime.date(2034, 2, 28)
    confidentiality = Confidentiality.BOARD
    summary = "A fictional agreement for tests."

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if not create:
            return
        self.partners.set(extracted if extracted is not None else [PartnerFactory()])


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    name = "Secretary General of CANTO"
    side = Signatory.Side.CANTO


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Commitment text {n}")
    owed_by = Commitment.OwedBy.CANTO
    status = Commitment.Status.IN_PROGRESS


class AgreementDocumentFactory(factory.django.DjangoModelFactory):
    """Writes a real PDF to private storage: use it with the tmp_private_storage fixture
    (tests/agreements/conftest.py)."""

    class Meta:
        model = AgreementDocument

    agreement = factory.SubFactory(AgreementFactory)
    kind = AgreementDocument.Kind.SIGNED_COPY
    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.django.FileField(filename="document.pdf", data=PDF_BYTES)
    confidentiality = Confidentiality.BOARD


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Joint workshop {n}")
    kind = Activity.Kind.WORKSHOP
    starts_on = datetime.date(2024, 6, 3)
    ends_on = datetime.date(2024, 6, 4)
    place = "Bridgetown"


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    agreement = factory.SubFactory(AgreementFactory)
    reviewer = factory.SubFactory(UserFactory)
    reviewed_on = datetime.date(2025, 1, 15)
    outcome = Review.Outcome.NOTED
    comments = "Progress noted."
