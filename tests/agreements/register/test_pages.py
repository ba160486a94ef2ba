import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement, AgreementDocument, Commitment, Confidentiality, Review
from agreements.services import agreement_history, record_review
from canto_portal import versions
from tests.agreements.factories import (
    ActivityFactory,
    AgreementFactory,
    CommitmentFactory,
    PartnerFactory,
    ReviewFactory,
)
from tests.members.factories import BoardTermFactory, ContactFactory

pytestmark = pytest.mark.django_db

ISOC = "CANTO-AGR-2015-001"
ROLES = [
    "anonymous",
    "operator_a",
    "operator_b",
    "member_admin_a",
    "board_user",
    "secretariat_user",
]


@pytest.fixture
def board_client(client, board_user):
    client.force_login(board_user)
    return client


def references(response):
    return [agreement.reference for agreement in response.context["agreements"]]


def count_queries(client, url):
    """The queries of `url` rendered afresh: every cached part renewed, the viewer's roles
    included."""
    versions.renew()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Filters, sorting, pagination


def test_register_filters_by_status(board_client):
    AgreementFactory(reference="CANTO-AGR-2024-001", status=Agreement.Status.DRAFT)

    response = board_client.get("/agreements/?status=draft")

    assert references(response) == ["CANTO-AGR-2024-001"]


def test_register_filters_by_partner(board_client):
    partner = PartnerFactory(name="Antilles Spectrum Forum")
    AgreementFactory(reference="CANTO-AGR-2024-002", partners=[partner])
    AgreementFactory()

    response = board_client.get(f"/agreements/?partner={partner.pk}")

    assert references(response) == ["CANTO-AGR-2024-002"]


def test_register_filters_by_kind(board_client):
    AgreementFactory(reference="CANTO-AGR-2024-003", kind=Agreement.Kind.SPONSORSHIP)

    response = board_client.get("/agreements/?kind=sponsorship")

    assert references(response) == ["CANTO-AGR-2024-003"]


def test_register_filters_agreements_expiring_within_90_days(board_client):
    today = timezone.localdate()
    AgreementFactory(reference="CANTO-AGR-2024-004", expires_on=today + datetime.timedelta(60))
    AgreementFactory(expires_on=today + datetime.timedelta(120))

    response = board_client.get("/agreements/?expiring=on")

    assert references(response) == ["CANTO-AGR-2024-004"]


def test_register_filters_reviews_overdue(board_client):
    today = timezone.localdate()
    AgreementFactory(reference="CANTO-AGR-2024-005", next_review_on=today - datetime.timedelta(1))
    AgreementFactory(next_review_on=today + datetime.timedelta(1))

    response = board_client.get("/agreements/?review_overdue=on")

    assert references(response) == ["CANTO-AGR-2024-005"]


def test_register_searches_reference_and_title(board_client):
    AgreementFactory(reference="CANTO-AGR-2024-006", title="Submarine cable data sharing")

    response = board_client.get("/agreements/?q=submarine")

    assert references(response) == ["CANTO-AGR-2024-006"]


def test_register_offers_no_review_filter_to_operators(client, operator_a):
    overdue = AgreementFactory(
        confidentiality=Confidentiality.MEMBERS,
        next_review_on=timezone.localdate() - datetime.timedelta(1),
    )
    AgreementFactory(confidentiality=Confidentiality.MEMBERS)
    client.force_login(operator_a)

    response = client.get("/agreements/?review_overdue=on")

    assert "review_overdue" not in response.context["filter_form"].fields
    assert overdue in response.context["agreements"]
    assert len(response.context["agreements"]) == 3


def test_register_offers_only_partners_of_agreements_the_viewer_may_see(client):
    PartnerFactory(name="Confidential Vendor Ltd")
    AgreementFactory(
        confidentiality=Confidentiality.BOARD,
        partners=[PartnerFactory(name="Secret Partner Corp")],
    )

    response = client.get("/agreements/")

    partners = [str(p) for p in response.context["filter_form"].fields["partner"].queryset]
    assert partners == ["ISOC"]
    assert "Secret Partner Corp" not in response.text


def test_register_sorts_by_a_whitelisted_field_descending(board_client):
    AgreementFactory(reference="CANTO-AGR-2024-010", expires_on=datetime.date(2030, 1, 1))
    AgreementFactory(reference="CANTO-AGR-2024-011", expires_on=datetime.date(2031, 1, 1))

    response = board_client.get("/agreements/?sort=-expires_on")

    # Open-ended agreements (the ISOC one) sort last.
    assert references(response) == ["CANTO-AGR-2024-011", "CANTO-AGR-2024-010", ISOC]


def test_register_ignores_a_sort_on_a_field_not_whitelisted(board_client):
    AgreementFactory(reference="CANTO-AGR-2024-012", summary="a")

    response = board_client.get("/agreements/?sort=summary")

    assert references(response) == [ISOC, "CANTO-AGR-2024-012"]


def test_register_does_not_let_operators_sort_by_review_date(client, operator_a):
    client.force_login(operator_a)

    response = client.get("/agreements/?sort=next_review_on")

    assert "sort" in response.context["filter_form"].errors


def test_register_pages_by_25(board_client):
    for _ in range(30):
        AgreementFactory()

    first = board_client.get("/agreements/")
    second = board_client.get("/agreements/?page=2")

    assert len(first.context["agreements"]) == 25
    assert len(second.context["agreements"]) == 6


def test_register_page_links_keep_the_filters(board_client):
    for _ in range(26):
        AgreementFactory(kind=Agreement.Kind.MOU)

    response = board_client.get("/agreements/?kind=mou")

    assert 'href="?kind=mou&amp;page=2"' in response.text


def test_register_labels_every_filter(client):
    response = client.get("/agreements/")

    for field in response.context["filter_form"]:
        assert f'for="{field.id_for_label}"' in response.text


# Query counts


@pytest.mark.parametrize("role", ROLES)
def test_register_runs_the_same_queries_for_10_and_200_agreements(role_client, role):
    level = {"anonymous": Confidentiality.PUBLIC}.get(role, Confidentiality.MEMBERS)
    if role in {"board_user", "secretariat_user"}:
        level = Confidentiality.BOARD
    partner = PartnerFactory()
    AgreementFactory.create_batch(10, confidentiality=level, partners=[partner])
    with_10 = count_queries(role_client, "/agreements/")
    AgreementFactory.create_batch(190, confidentiality=level, partners=[PartnerFactory()])

    with_200 = count_queries(role_client, "/agreements/?page=8")

    assert with_200 == with_10


def test_register_query_count_for_a_board_member(board_client, django_assert_num_queries):
    AgreementFactory.create_batch(30)

    # With nothing cached yet: the session, the user, the roles (contact with board term),
    # then the listing: count, partner filter options, page, partners of the page.
    with django_assert_num_queries(7):
        board_client.get("/agreements/")


def test_agreement_page_query_count_for_a_board_member(board_client, django_assert_num_queries):
    # With nothing cached yet: the session, the user, the roles, then the agreement,
    # partners, signatories, commitments, activities, reviews, agreement history, commitment
    # history, documents.
    with django_assert_num_queries(12):
        board_client.get(f"/agreements/{ISOC}/")


def test_print_register_runs_the_same_queries_for_10_and_200_agreements(board_client):
    AgreementFactory.create_batch(10)
    with_10 = count_queries(board_client, "/agreements/print/")
    AgreementFactory.create_batch(190)

    assert count_queries(board_client, "/agreements/print/") == with_10


def test_export_queries_grow_only_per_chunk_of_100_rows(board_client):
    # django-import-export reads a prefetching queryset in pages of 100 rows (a page query
    # and a partners query each), so memory stays flat; nothing is queried per row.
    successor = AgreementFactory()
    AgreementFactory.create_batch(10, superseded_by=successor)
    with_10 = count_queries(board_client, "/agreements/export/xlsx/")
    AgreementFactory.create_batch(240, superseded_by=successor, partners=[PartnerFactory()])

    assert count_queries(board_client, "/agreements/export/xlsx/") == with_10 + 2 * 2


def test_agreement_page_queries_do_not_grow_with_commitments_or_history(board_client):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement, number=1)
    small = count_queries(board_client, agreement.get_absolute_url())
    for number in range(2, 30):
        commitment = CommitmentFactory(agreement=agreement, number=number)
        commitment.status = Commitment.Status.MET
        commitment.save()
        agreement.title = f"Title {number}"
        agreement.save()
        ActivityFactory(agreement=agreement)
        ReviewFactory(agreement=agreement)

    assert count_queries(board_client, agreement.get_absolute_url()) == small


# Agreement page


def test_isoc_agreement_page_shows_its_five_commitments(client):
    response = client.get(f"/agreements/{ISOC}/")

    assert response.status_code == 200
    assert len(response.context["agreement"].commitments.all()) == 5
    assert "Advisory Council" in response.text


def test_agreement_page_shows_last_review_and_next_due_date(board_client):
    agreement = AgreementFactory(next_review_on=datetime.date(2027, 3, 1))
    ReviewFactory(agreement=agreement, reviewed_on=datetime.date(2025, 1, 1))
    ReviewFactory(
        agreement=agreement, reviewed_on=datetime.date(2026, 2, 1), outcome=Review.Outcome.RENEW
    )

    response = board_client.get(agreement.get_absolute_url())

    assert response.context["last_review"].outcome == Review.Outcome.RENEW
    assert "1 March 2027" in response.text


def test_history_says_who_changed_what_from_what_to_what(board_user):
    agreement = AgreementFactory(title="Old title")
    agreement.title = "New title"
    agreement._history_user = board_user
    agreement.save()

    latest = agreement_history(agreement)[0]

    assert latest.who == board_user
    assert latest.changes == [{"field": "title", "old": "Old title", "new": "New title"}]


def test_history_shows_choice_labels_of_commitment_changes():
    commitment = CommitmentFactory(status=Commitment.Status.IN_PROGRESS)
    commitment.status = Commitment.Status.MET
    commitment.save()

    latest = agreement_history(commitment.agreement)[0]

    assert str(latest.subject) == f"Commitment {commitment.number}"
    assert latest.changes == [{"field": "status", "old": "In progress", "new": "Met"}]


def test_history_names_users_in_changed_user_fields(secretariat_user):
    agreement = AgreementFactory()
    agreement.responsible = secretariat_user
    agreement.save()

    change = agreement_history(agreement)[0].changes[0]

    assert change["old"] == "—"
    assert change["new"] == secretariat_user.username


def test_agreement_page_shows_history_of_changes(board_client):
    commitment = CommitmentFactory(status=Commitment.Status.IN_PROGRESS)
    commitment.status = Commitment.Status.AT_RISK
    commitment.save()

    response = board_client.get(commitment.agreement.get_absolute_url())

    assert "from “In progress” to “At risk”" in response.text


# Reviews


def test_board_member_records_a_review(board_client, board_user):
    agreement = AgreementFactory()

    response = board_client.post(
        f"/agreements/{agreement.reference}/review/",
        {"outcome": "renegotiate", "comments": "Scope too narrow.", "next_review_on": "2099-01-31"},
    )

    assert response.status_code == 302
    review = agreement.reviews.get()
    assert (review.reviewer, review.outcome) == (board_user, Review.Outcome.RENEGOTIATE)


def test_recorded_review_moves_the_agreements_next_review_date(board_client):
    agreement = AgreementFactory(next_review_on=datetime.date(2020, 1, 1))

    board_client.post(
        f"/agreements/{agreement.reference}/review/",
        {"outcome": "noted", "next_review_on": "2099-01-31"},
    )

    agreement.refresh_from_db()
    assert agreement.next_review_on == datetime.date(2099, 1, 31)


def test_review_with_next_date_in_the_past_is_refused_and_nothing_saved(board_client):
    agreement = AgreementFactory()

    response = board_client.post(
        f"/agreements/{agreement.reference}/review/",
        {"outcome": "noted", "next_review_on": "2001-01-01"},
    )

    assert response.status_code == 200
    assert "The next review must be after today." in response.text
    assert not agreement.reviews.exists()


@pytest.mark.parametrize("role", ["operator_a", "operator_b", "member_admin_a", "secretariat_user"])
def test_only_board_members_may_post_a_review(role_client, role):
    response = role_client.post(f"/agreements/{ISOC}/review/", {"outcome": "noted"})

    assert response.status_code == 403
    assert not Review.objects.exists()


def test_an_anonymous_review_is_sent_to_log_in_and_records_nothing(client):
    response = client.post(f"/agreements/{ISOC}/review/", {"outcome": "noted"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Review.objects.exists()


@pytest.mark.parametrize("role", ["operator_a", "operator_b", "member_admin_a", "secretariat_user"])
def test_only_board_members_may_open_the_review_form(role_client, role):
    assert role_client.get(f"/agreements/{ISOC}/review/").status_code == 403


def test_review_form_opens_for_a_board_member(board_client):
    response = board_client.get(f"/agreements/{ISOC}/review/")

    assert response.status_code == 200
    assert 'for="id_outcome"' in response.text


def test_record_review_saves_nothing_when_the_agreement_cannot_be_saved(board_user, monkeypatch):
    agreement = AgreementFactory(next_review_on=datetime.date(2020, 1, 1))

    def failing_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Agreement, "save", failing_save)
    with pytest.raises(RuntimeError):
        record_review(
            agreement=agreement,
            reviewer=board_user,
            outcome=Review.Outcome.NOTED,
            comments="",
            next_review_on=datetime.date(2099, 1, 1),
        )

    assert not Review.objects.filter(agreement=agreement).exists()


def test_record_review_names_the_reviewer_in_the_agreements_history(board_user):
    agreement = AgreementFactory()

    record_review(
        agreement=agreement,
        reviewer=board_user,
        outcome=Review.Outcome.NOTED,
        comments="",
        next_review_on=datetime.date(2099, 1, 1),
    )

    assert agreement.history.first().history_user == board_user


# Print view and exports


@pytest.mark.parametrize("url", ["/agreements/print/", "/agreements/export/csv/"])
@pytest.mark.parametrize("role", ROLES)
def test_print_view_and_export_are_for_board_and_secretariat(role_client, role, url):
    response = role_client.get(url)

    expected = {"anonymous": 302, "board_user": 200, "secretariat_user": 200}.get(role, 403)
    assert response.status_code == expected


def test_print_view_lists_every_filtered_agreement_on_one_page(board_client):
    AgreementFactory.create_batch(30, kind=Agreement.Kind.MOU)

    response = board_client.get("/agreements/print/?kind=mou")

    assert len(response.context["agreements"]) == 30
    assert "Filtered by:" in response.text


def test_csv_export_holds_the_filtered_register(board_client):
    AgreementFactory(reference="CANTO-AGR-2024-020", kind=Agreement.Kind.SPONSORSHIP)

    response = board_client.get("/agreements/export/csv/?kind=sponsorship")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["reference"] for row in rows] == ["CANTO-AGR-2024-020"]


def test_xlsx_export_is_a_workbook_of_the_register(board_client):
    response = board_client.get("/agreements/export/xlsx/")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == ISOC


def test_export_in_an_unknown_format_is_not_found(board_client):
    assert board_client.get("/agreements/export/pdf/").status_code == 404


def test_navigation_links_to_the_register(client):
    assert 'href="/agreements/"' in client.get("/").text


# Demo data


@pytest.fixture
def seeded(tmp_private_storage, settings):
    from agreements.demo.register import seed_agreements

    settings.DEBUG = True
    BoardTermFactory(contact=ContactFactory())
    seed_agreements(timezone.localdate())
    return seed_agreements


def test_demo_seeds_a_dozen_more_agreements(seeded):
    assert Agreement.objects.count() == 13


def test_demo_seed_is_idempotent(seeded):
    counts = (Agreement.objects.count(), Commitment.objects.count(), Review.objects.count())

    seeded(timezone.localdate())

    assert counts == (
        Agreement.objects.count(),
        Commitment.objects.count(),
        Review.objects.count(),
    )


def test_demo_documents_are_real_pdfs(seeded):
    for document in AgreementDocument.objects.all():
        with document.file.open("rb") as file:
            content = file.read()
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")


def test_demo_isoc_signed_copy_downloads_for_a_board_member(seeded, board_client):
    document = AgreementDocument.objects.get(
        agreement__reference=ISOC, kind=AgreementDocument.Kind.SIGNED_COPY
    )

    response = board_client.get(f"/agreements/{ISOC}/documents/{document.pk}/")

    assert response.status_code == 200


def test_demo_register_has_agreements_expiring_and_reviews_overdue(seeded):
    today = timezone.localdate()

    assert Agreement.objects.expiring_within(90, today).exists()
    assert Agreement.objects.review_overdue(today).exists()


def test_demo_creates_no_login_when_debug_is_off(tmp_private_storage, settings):
    from django.contrib.auth import get_user_model

    from agreements.demo.register import seed_agreements

    settings.DEBUG = False
    BoardTermFactory(contact=ContactFactory())

    seed_agreements(timezone.localdate())

    assert Agreement.objects.count() == 13
    assert not get_user_model().objects.exists()


# Back office


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def admin_change_data(agreement):
    return {
        "reference": agreement.reference,
        "title": agreement.title,
        "partners": [p.pk for p in agreement.partners.all()],
        "kind": agreement.kind,
        "status": agreement.status,
        "summary": agreement.summary,
        "signed_on": agreement.signed_on.isoformat(),
        "signed_at": agreement.signed_at,
        "effective_from": agreement.effective_from.isoformat(),
        "expires_on": agreement.expires_on.isoformat(),
        "renewal": agreement.renewal,
        "confidentiality": agreement.confidentiality,
        **inline_management("signatories"),
        **inline_management("commitments"),
        **inline_management("documents"),
        **inline_management("activities"),
    }


def test_document_uploaded_in_the_admin_records_who_uploaded_it(
    client, secretariat_user, tmp_private_storage
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.agreements.factories import PDF_BYTES

    agreement = AgreementFactory()
    client.force_login(secretariat_user)
    data = admin_change_data(agreement) | inline_management("documents", total=1)
    data |= {
        "documents-0-kind": "annex",
        "documents-0-title": "Annex A",
        "documents-0-confidentiality": "board",
        "documents-0-file": SimpleUploadedFile("annex.pdf", PDF_BYTES, "application/pdf"),
    }

    response = client.post(f"/admin/agreements/agreement/{agreement.pk}/change/", data)

    assert response.status_code == 302
    assert agreement.documents.get().uploaded_by == secretariat_user


def test_admin_refuses_a_non_pdf_upload_and_saves_nothing(
    client, secretariat_user, tmp_private_storage
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    agreement = AgreementFactory(title="Before")
    client.force_login(secretariat_user)
    data = admin_change_data(agreement) | inline_management("documents", total=1)
    data |= {
        "title": "After",
        "documents-0-kind": "annex",
        "documents-0-title": "Not a PDF",
        "documents-0-confidentiality": "board",
        "documents-0-file": SimpleUploadedFile("annex.pdf", b"GIF89a", "application/pdf"),
    }

    response = client.post(f"/admin/agreements/agreement/{agreement.pk}/change/", data)

    assert "This file is not a PDF." in response.text
    agreement.refresh_from_db()
    assert (agreement.title, agreement.documents.count()) == ("Before", 0)


def test_admin_refuses_a_status_move_with_a_message(client, secretariat_user):
    agreement = AgreementFactory(status=Agreement.Status.EXPIRED)
    client.force_login(secretariat_user)
    data = admin_change_data(agreement) | {"status": "draft"}

    response = client.post(f"/admin/agreements/agreement/{agreement.pk}/change/", data)

    assert "An agreement cannot move from Expired to Draft." in response.text
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EXPIRED


def test_admin_history_of_an_agreement_shows_the_change(client, secretariat_user):
    agreement = AgreementFactory(title="Old title")
    agreement.title = "New title"
    agreement.save()
    client.force_login(secretariat_user)

    response = client.get(f"/admin/agreements/agreement/{agreement.pk}/history/")

    assert response.status_code == 200
    assert "New title" in response.text


def test_sent_alerts_are_read_only_in_the_admin(client, secretariat_user):
    from agreements.models import SentAlert

    alert = SentAlert.objects.create(key="review-overdue:CANTO-AGR-2024-001:2026-01-01")
    client.force_login(secretariat_user)

    response = client.get(f"/admin/agreements/sentalert/{alert.pk}/change/")

    assert response.status_code == 200
    assert 'name="key"' not in response.text
