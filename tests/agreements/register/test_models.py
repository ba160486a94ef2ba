import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from agreements.models import Agreement, AgreementDocument, Clearance, Commitment, Confidentiality
from agreements.validators import MAX_DOCUMENT_BYTES, validate_pdf
from members.roles import Roles
from tests.agreements.factories import (
    PDF_BYTES,
    AgreementFactory,
    CommitmentFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

Status = Agreement.Status


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (Status.DRAFT, Status.NEGOTIATION),
        (Status.NEGOTIATION, Status.ACTIVE),
        (Status.ACTIVE, Status.EXPIRED),
        (Status.ACTIVE, Status.TERMINATED),
        (Status.ACTIVE, Status.SUPERSEDED),
    ],
)
def test_agreement_status_makes_allowed_move(old, new):
    agreement = AgreementFactory(status=old)
    agreement = Agreement.objects.get(pk=agreement.pk)

    agreement.status = new
    agreement.save()

    agreement.refresh_from_db()
    assert agreement.status == new


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (Status.EXPIRED, Status.DRAFT),
        (Status.EXPIRED, Status.ACTIVE),
        (Status.TERMINATED, Status.ACTIVE),
        (Status.SUPERSEDED, Status.NEGOTIATION),
        (Status.DRAFT, Status.ACTIVE),
        (Status.ACTIVE, Status.DRAFT),
    ],
)
def test_agreement_status_refuses_other_moves(old, new):
    agreement = Agreement.objects.get(pk=AgreementFactory(status=old).pk)

    agreement.status = new
    with pytest.raises(ValidationError) as error:
        agreement.save()

    assert "cannot move from" in str(error.value)
    assert Agreement.objects.get(pk=agreement.pk).status == old


def test_agreement_clean_names_the_refused_move():
    agreement = Agreement.objects.get(pk=AgreementFactory(status=Status.EXPIRED).pk)
    agreement.status = Status.DRAFT

    with pytest.raises(ValidationError) as error:
        agreement.full_clean()

    assert error.value.message_dict["status"] == ["An agreement cannot move from Expired to Draft."]


def test_agreement_expiry_before_effective_date_is_refused_by_validation():
    agreement = AgreementFactory.build(
        effective_from=datetime.date(2025, 1, 1), expires_on=datetime.date(2024, 12, 31)
    )

    with pytest.raises(ValidationError) as error:
        agreement.full_clean(exclude=["partners"])

    assert "The expiry date must be after the effective date." in str(error.value)


def test_agreement_expiry_before_effective_date_is_refused_by_the_database():
    agreement = AgreementFactory()
    agreement.expires_on = datetime.date(2000, 1, 1)

    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()


def test_agreement_renewal_by_notice_needs_a_notice_period():
    agreement = AgreementFactory.build(renewal=Agreement.Renewal.NOTICE, notice_period_days=None)

    with pytest.raises(ValidationError) as error:
        agreement.full_clean()

    assert "Renewal by notice needs a notice period." in str(error.value)


def test_agreement_duplicate_reference_is_refused_with_a_message():
    AgreementFactory(reference="CANTO-AGR-2024-007")
    duplicate = AgreementFactory.build(reference="CANTO-AGR-2024-007")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert "reference" in error.value.message_dict


def test_agreement_reference_must_follow_the_pattern():
    agreement = AgreementFactory.build(reference="AGR-15-1")

    with pytest.raises(ValidationError) as error:
        agreement.full_clean()

    assert "CANTO-AGR-YYYY-NNN" in str(error.value)


def test_isoc_agreement_is_production_data_with_five_commitments():
    agreement = Agreement.objects.get(reference="CANTO-AGR-2015-001")

    assert agreement.signed_on == datetime.date(2015, 2, 11)
    assert agreement.signed_at.startswith("Port of Spain")
    assert agreement.commitments.count() == 5
    assert agreement.confidentiality == Confidentiality.PUBLIC


def test_commitment_number_is_unique_per_agreement():
    commitment = CommitmentFactory(number=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.create(
            agreement=commitment.agreement, number=1, text="Again", owed_by="canto"
        )


def test_commitment_is_past_due_when_open_after_its_date():
    commitment = CommitmentFactory.build(
        due_on=datetime.date(2000, 1, 1), status=Commitment.Status.IN_PROGRESS
    )

    assert commitment.is_past_due


def test_met_commitment_is_not_past_due():
    commitment = CommitmentFactory.build(
        due_on=datetime.date(2000, 1, 1), status=Commitment.Status.MET
    )

    assert not commitment.is_past_due


def test_visible_to_gives_operators_public_and_members_agreements(operator_a):
    public = AgreementFactory(confidentiality=Confidentiality.PUBLIC)
    members = AgreementFactory(confidentiality=Confidentiality.MEMBERS)
    AgreementFactory(confidentiality=Confidentiality.BOARD)

    visible = set(
        Agreement.objects.visible_to(Clearance.of(Roles(operator_a))).exclude(
            partners__name="Internet Society"
        )
    )

    assert visible == {public, members}


def test_expiring_within_counts_only_active_agreements_in_the_window():
    today = datetime.date(2026, 1, 1)
    inside = AgreementFactory(expires_on=datetime.date(2026, 3, 1))
    AgreementFactory(expires_on=datetime.date(2026, 6, 1))
    AgreementFactory(expires_on=datetime.date(2026, 2, 1), status=Status.TERMINATED)

    assert list(Agreement.objects.expiring_within(90, today)) == [inside]


def test_review_overdue_lists_open_agreements_past_their_review_date():
    today = datetime.date(2026, 1, 1)
    overdue = AgreementFactory(next_review_on=datetime.date(2025, 12, 1))
    AgreementFactory(next_review_on=datetime.date(2026, 2, 1))
    AgreementFactory(next_review_on=datetime.date(2025, 12, 1), status=Status.EXPIRED)

    assert list(Agreement.objects.review_overdue(today)) == [overdue]


def test_partner_name_is_unique():
    PartnerFactory(name="Caribbean Spectrum Forum")

    with pytest.raises(IntegrityError), transaction.atomic():
        from agreements.models import Partner

        Partner.objects.create(name="Caribbean Spectrum Forum", kind="regional")


def test_validate_pdf_refuses_a_renamed_non_pdf():
    with pytest.raises(ValidationError) as error:
        validate_pdf(SimpleUploadedFile("contract.pdf", b"PK\x03\x04 a zip file"))

    assert error.value.code == "not_pdf"


def test_validate_pdf_refuses_a_file_over_20_mb():
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES)
    upload.size = MAX_DOCUMENT_BYTES + 1

    with pytest.raises(ValidationError) as error:
        validate_pdf(upload)

    assert error.value.code == "too_large"


def test_document_file_field_runs_the_pdf_validator():
    field = AgreementDocument._meta.get_field("file")

    assert validate_pdf in field.validators
