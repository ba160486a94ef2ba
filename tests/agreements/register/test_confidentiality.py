"""Every role × confidentiality × page, and document downloads by both the agreement's and the
document's confidentiality."""

import pytest

from agreements.models import Confidentiality
from tests.agreements.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tmp_private_storage")]

PUBLIC, MEMBERS, BOARD = Confidentiality.PUBLIC, Confidentiality.MEMBERS, Confidentiality.BOARD
LEVELS = [PUBLIC, MEMBERS, BOARD]

# What each role may see, by confidentiality level.
SEES = {
    "anonymous": {PUBLIC},
    "operator_a": {PUBLIC, MEMBERS},
    "operator_b": {PUBLIC, MEMBERS},
    "member_admin_a": {PUBLIC, MEMBERS},
    "board_user": {PUBLIC, MEMBERS, BOARD},
    "secretariat_user": {PUBLIC, MEMBERS, BOARD},
}
ROLES = list(SEES)


def refused(response, role):
    """Hidden answers as if absent: 404 when logged in, the login page for anonymous."""
    if role == "anonymous":
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 404


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_register_lists_an_agreement_only_to_roles_cleared_for_its_level(role_client, role, level):
    agreement = AgreementFactory(confidentiality=level, title="Spectrum cooperation")

    response = role_client.get("/agreements/")

    assert response.status_code == 200
    listed = agreement in response.context["agreements"]
    assert listed == (level in SEES[role])


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_agreement_page_opens_only_for_roles_cleared_for_its_level(role_client, role, level):
    agreement = AgreementFactory(confidentiality=level)

    response = role_client.get(agreement.get_absolute_url())

    if level in SEES[role]:
        assert response.status_code == 200
    else:
        assert refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_unknown_reference_answers_like_a_hidden_one(role_client, role):
    response = role_client.get("/agreements/CANTO-AGR-1999-999/")

    assert refused(response, role)


@pytest.mark.parametrize("document_level", LEVELS)
@pytest.mark.parametrize("agreement_level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_document_downloads_only_when_agreement_and_document_admit_the_role(
    role_client, role, agreement_level, document_level
):
    document = AgreementDocumentFactory(
        agreement=AgreementFactory(confidentiality=agreement_level),
        confidentiality=document_level,
    )
    url = f"/agreements/{document.agreement.reference}/documents/{document.pk}/"

    response = role_client.get(url)

    if agreement_level in SEES[role] and document_level in SEES[role]:
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    else:
        assert refused(response, role)


@pytest.mark.parametrize("document_level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_agreement_page_lists_only_documents_the_role_may_download(
    role_client, role, document_level
):
    document = AgreementDocumentFactory(
        agreement=AgreementFactory(confidentiality=PUBLIC),
        confidentiality=document_level,
        title="Annex on spectrum data",
    )

    response = role_client.get(document.agreement.get_absolute_url())

    assert (document in response.context["documents"]) == (document_level in SEES[role])


@pytest.mark.parametrize("role", ROLES)
def test_reviews_and_history_show_only_to_board_and_secretariat(role_client, role):
    agreement = AgreementFactory(confidentiality=PUBLIC)

    response = role_client.get(agreement.get_absolute_url())

    board_view = BOARD in SEES[role]
    assert ("history" in response.context) == board_view
    assert ("Board reviews" in response.text) == board_view


def test_document_is_served_as_a_pdf_attachment_that_browsers_may_not_sniff(client, board_user):
    document = AgreementDocumentFactory(title="Signed copy")
    client.force_login(board_user)

    response = client.get(f"/agreements/{document.agreement.reference}/documents/{document.pk}/")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_document_of_another_agreement_is_not_found_under_this_reference(client, board_user):
    document = AgreementDocumentFactory()
    other = AgreementFactory()
    client.force_login(board_user)

    response = client.get(f"/agreements/{other.reference}/documents/{document.pk}/")

    assert response.status_code == 404


def test_document_whose_file_is_missing_answers_404(client, board_user):
    document = AgreementDocumentFactory()
    document.file.storage.delete(document.file.name)
    client.force_login(board_user)

    response = client.get(f"/agreements/{document.agreement.reference}/documents/{document.pk}/")

    assert response.status_code == 404


def test_private_document_location_is_outside_the_public_media_root(settings):
    private = settings.STORAGES["private"]["OPTIONS"]["location"]

    assert not private.startswith(str(settings.MEDIA_ROOT))


def test_document_file_is_not_reachable_by_a_media_url(client):
    document = AgreementDocumentFactory(confidentiality=PUBLIC)

    response = client.get(f"/media/{document.file.name}")

    assert response.status_code == 404
