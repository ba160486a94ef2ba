"""Information exchanged with partners: /exchanges/, attachment downloads by confidentiality (the
rules of agreement documents) and the Secretariat's admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import InformationExchange
from tests.agreements.factories import PDF_BYTES, AgreementFactory, PartnerFactory
from tests.agreements.factories_briefings import InformationExchangeFactory

# The same levels as agreement documents, so the same table of who sees what.
from tests.agreements.register.test_confidentiality import BOARD, MEMBERS, PUBLIC, SEES, refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tmp_private_storage")]

LEVELS = [PUBLIC, MEMBERS, BOARD]
ROLES = list(SEES)
LIST_URL = reverse("agreements:exchanges")


def attachment_url(exchange):
    return reverse("agreements:exchange_attachment", args=[exchange.pk])


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_an_exchange_only_to_roles_cleared_for_its_level(role_client, role, level):
    exchange = InformationExchangeFactory(confidentiality=level)

    response = role_client.get(LIST_URL)

    assert (exchange in response.context["exchanges"]) == (level in SEES[role])


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("role", ROLES)
def test_the_attachment_downloads_only_for_roles_cleared_for_its_level(role_client, role, level):
    exchange = InformationExchangeFactory(confidentiality=level)

    response = role_client.get(attachment_url(exchange))

    if level in SEES[role]:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF_BYTES
    else:
        assert refused(response, role)


def test_an_exchange_under_an_agreement_hidden_from_the_viewer_is_hidden_too(client, operator_a):
    exchange = InformationExchangeFactory(
        confidentiality=MEMBERS, agreement=AgreementFactory(confidentiality=BOARD)
    )
    client.force_login(operator_a)

    assert client.get(attachment_url(exchange)).status_code == 404
    assert exchange not in client.get(LIST_URL).context["exchanges"]


def test_the_download_is_never_cached_nor_sniffed(client):
    exchange = InformationExchangeFactory(confidentiality=PUBLIC)

    response = client.get(attachment_url(exchange))

    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_exchange_without_attachment_has_nothing_to_download(client, board_user):
    exchange = InformationExchangeFactory(confidentiality=PUBLIC, attachment="")
    client.force_login(board_user)

    assert client.get(attachment_url(exchange)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_list_runs_the_same_queries_for_3_and_30_exchanges(role_client, role):
    partner = PartnerFactory()
    InformationExchangeFactory.create_batch(3, confidentiality=PUBLIC, partner=partner)
    # The viewer's roles, cached, are read afresh for neither count.
    role_client.get(LIST_URL)
    with CaptureQueriesContext(connection) as with_3:
        role_client.get(LIST_URL)
    InformationExchangeFactory.create_batch(27, confidentiality=PUBLIC, partner=PartnerFactory())

    with CaptureQueriesContext(connection) as with_30:
        role_client.get(f"{LIST_URL}?page=2")

    assert len(with_30) == len(with_3)


def admin_add(client, attachment):
    partner = PartnerFactory()
    return client.post(
        reverse("admin:agreements_informationexchange_add"),
        {
            "title": "Broadband survey",
            "exchanged_on": "2026-04-01",
            "partner": partner.pk,
            "direction": "received",
            "description": "",
            "confidentiality": "members",
            "attachment": attachment,
        },
    )


def test_the_admin_refuses_an_attachment_that_is_not_a_pdf(client, secretariat_user):
    client.force_login(secretariat_user)

    response = admin_add(client, SimpleUploadedFile("survey.pdf", b"PK\x03\x04 a zip file"))

    assert "This file is not a PDF" in response.text
    assert not InformationExchange.objects.exists()


def test_the_admin_stores_a_pdf_attachment_privately(client, secretariat_user, tmp_private_storage):
    client.force_login(secretariat_user)

    admin_add(client, SimpleUploadedFile("survey.pdf", PDF_BYTES))

    exchange = InformationExchange.objects.get()
    assert (tmp_private_storage / exchange.attachment.name).read_bytes() == PDF_BYTES
