"""Import and export of the agreement register, commitments and council appointments. The
ISOC 2015 agreement, its five commitments and its council come from the data migrations."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from import_export.formats.base_formats import XLSX

from agreements.models import Agreement, Appointment, Commitment, Partner, Seat
from agreements.resources import (
    AgreementResource,
    AppointmentResource,
    CommitmentResource,
    PartnerResource,
    register_export_response,
)
from canto_portal.spreadsheets.formats import CSV
from tests.members.factories import ContactFactory, UserFactory
from tests.members.test_resources import read_csv, row_errors

pytestmark = pytest.mark.django_db

ISOC_AGREEMENT = "CANTO-AGR-2015-001"
COUNCIL = "ISOC Advisory Council"


def agreement_counts():
    return (
        Partner.objects.count(),
        Agreement.objects.count(),
        Commitment.objects.count(),
        Appointment.objects.count(),
    )


@pytest.fixture
def appointment():
    seat = Seat.objects.get(council__name=COUNCIL, label="Principal seat 1")
    return Appointment.objects.create(
        seat=seat,
        contact=ContactFactory(email="rep@caribe.example", name="Rea Presenter"),
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        status=Appointment.Status.ACTIVE,
    )


@pytest.mark.parametrize("file_format", [CSV, XLSX], ids=["csv", "xlsx"])
@pytest.mark.parametrize(
    "resource_class",
    [PartnerResource, AgreementResource, CommitmentResource, AppointmentResource],
)
def test_export_then_import_of_the_register_changes_nothing(
    appointment, resource_class, file_format
):
    before = agreement_counts()
    exported = resource_class().export(force_native_type=file_format is XLSX)
    data = file_format().export_data(exported)
    data = data.encode() if isinstance(data, str) else data

    result = resource_class().import_data(file_format().create_dataset(data))

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == resource_class().get_queryset().count() > 0
    assert agreement_counts() == before


def test_the_agreement_export_names_partners_and_uses_references():
    dataset = AgreementResource().export()

    (row,) = dataset.dict
    assert row["reference"] == ISOC_AGREEMENT
    assert row["partners"] == "Internet Society"
    assert "id" not in dataset.headers


def test_a_new_agreement_with_its_partners_and_commitments_imports():
    Partner.objects.create(
        name="Caribbean Telecommunications Union", short_name="CTU", kind="regional"
    )
    agreements = read_csv(
        "reference,title,partners,kind,status,signed_on,confidentiality\n"
        "canto-agr-2024-002,Joint training programme,CTU; ISOC,mou,draft,2024-05-02,members\n"
    )
    commitments = read_csv(
        "agreement,number,text,owed_by,status\n"
        "CANTO-AGR-2024-002,1,Run two workshops a year,both,not_started\n"
    )

    first = AgreementResource().import_data(agreements)
    second = CommitmentResource().import_data(commitments)

    assert first.totals["new"] == 1 and second.totals["new"] == 1, row_errors(first)
    agreement = Agreement.objects.get(reference="CANTO-AGR-2024-002")
    assert set(agreement.partners.values_list("short_name", flat=True)) == {"CTU", "ISOC"}
    assert agreement.commitments.get().text == "Run two workshops a year"


def test_unknown_partners_and_bad_references_are_row_errors_and_nothing_is_written():
    before = agreement_counts()
    dataset = read_csv(
        "reference,title,partners,kind\n"
        "CANTO-AGR-2024-003,Good,Internet Society,mou\n"
        "CANTO-AGR-2024-004,Unknown partner,Internet Society; Acme Widgets,mou\n"
        "AGR-7,Bad reference,Internet Society,mou\n"
    )

    result = AgreementResource().import_data(dataset)

    messages = row_errors(result)
    assert any("Row 2" in m and "Unknown partners: Acme Widgets." in m for m in messages)
    assert any("Row 3" in m and "Use the form CANTO-AGR-YYYY-NNN" in m for m in messages)
    assert agreement_counts() == before


def test_a_forbidden_agreement_status_move_is_refused():
    dataset = read_csv(f"reference,status\n{ISOC_AGREEMENT},draft\n")

    result = AgreementResource().import_data(dataset)

    (message,) = row_errors(result)
    assert "cannot move from Active to Draft" in message
    assert Agreement.objects.get(reference=ISOC_AGREEMENT).status == Agreement.Status.ACTIVE


def test_a_commitment_of_an_unknown_agreement_is_named():
    dataset = read_csv("agreement,number,text,owed_by\nCANTO-AGR-1999-001,1,Something,canto\n")

    result = CommitmentResource().import_data(dataset)

    (message,) = row_errors(result)
    assert "value “CANTO-AGR-1999-001”" in message and "No agreement has this reference" in message


def test_an_overlapping_appointment_is_refused_on_every_database(appointment):
    other = ContactFactory(email="second@caribe.example")
    dataset = read_csv(
        "council,seat,contact,starts_on,ends_on,status\n"
        f"{COUNCIL},Principal seat 1,{other.email},2026-06-01,2028-05-31,nominated\n"
    )

    result = AppointmentResource().import_data(dataset)

    (message,) = row_errors(result)
    # The model's own rule (Appointment.clean), reported as a row error on every database.
    assert "Principal seat 1 is already held by Rea Presenter" in message
    assert Appointment.objects.count() == 1


def test_a_seat_is_found_within_its_council(appointment):
    dataset = read_csv(
        "council,seat,contact,starts_on,ends_on\n"
        f"Some Other Council,Principal seat 2,{appointment.contact.email},2025-01-01,2026-12-31\n"
    )

    result = AppointmentResource().import_data(dataset)

    (message,) = row_errors(result)
    assert "column “seat”" in message and "name its council in the “council” column" in message


# The register for the Board, outside the admin


def request_for(user):
    request = RequestFactory().get("/agreements/export/")
    request.user = user
    return request


def test_board_members_may_export_the_register(board_user):
    response = register_export_response(request_for(board_user), Agreement.objects.all(), "csv")

    assert response["Content-Type"] == "text/csv"
    assert ISOC_AGREEMENT in response.content.decode()


def test_the_secretariat_may_export_the_register_as_xlsx(secretariat_user):
    response = register_export_response(request_for(secretariat_user), Agreement.objects.all())

    assert response["Content-Disposition"].endswith('.xlsx"')


def test_member_operators_and_plain_staff_may_not_export_the_register(operator_a):
    for user in (operator_a, UserFactory(is_staff=True)):
        with pytest.raises(PermissionDenied):
            register_export_response(request_for(user), Agreement.objects.all())


def test_an_unknown_export_format_is_not_found(board_user):
    with pytest.raises(Http404):
        register_export_response(request_for(board_user), Agreement.objects.all(), "pdf")
