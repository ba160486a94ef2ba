"""Uploaded PDFs, agreement documents and exchange attachments alike, are stored under names
of the portal's own: the uploader's file name never reaches the disk nor a download."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import InformationExchange
from tests.agreements.exchanges.test_pages import admin_add
from tests.agreements.factories import PDF_BYTES, AgreementFactory
from tests.agreements.register.test_pages import admin_change_data, inline_management
from tests.agreements.register.test_validators import EXE_WITH_SIGNATURE, HTML_POLYGLOT

pytestmark = pytest.mark.django_db

# Shown by browsers and file managers as "Annexfdp.jpg": a PDF posing as an image.
RIGHT_TO_LEFT_NAME = "Annex\u202egpj.pdf"


def upload_document(client, agreement, upload):
    data = admin_change_data(agreement) | inline_management("documents", total=1)
    data |= {
        "documents-0-kind": "annex",
        "documents-0-title": "Annex A",
        "documents-0-confidentiality": "board",
        "documents-0-file": upload,
    }
    return client.post(reverse("admin:agreements_agreement_change", args=[agreement.pk]), data)


def stored_files(folder):
    return [path for path in folder.rglob("*") if path.is_file()]


def test_document_is_stored_under_a_portal_name_ending_in_pdf(
    client, secretariat_user, tmp_private_storage
):
    agreement = AgreementFactory()
    client.force_login(secretariat_user)

    upload_document(client, agreement, SimpleUploadedFile(RIGHT_TO_LEFT_NAME, PDF_BYTES))

    name = agreement.documents.get().file.name
    assert re.fullmatch(rf"agreements/{agreement.reference}/[0-9a-f]{{32}}\.pdf", name)
    assert (tmp_private_storage / name).read_bytes() == PDF_BYTES


def test_right_to_left_override_in_an_uploaded_name_never_reaches_the_disk(
    client, secretariat_user, tmp_private_storage
):
    agreement = AgreementFactory()
    client.force_login(secretariat_user)

    upload_document(client, agreement, SimpleUploadedFile(RIGHT_TO_LEFT_NAME, PDF_BYTES))

    assert not any("\u202e" in str(path) for path in stored_files(tmp_private_storage))


def test_document_download_is_named_from_reference_and_title_not_from_the_upload(
    client, secretariat_user
):
    agreement = AgreementFactory()
    client.force_login(secretariat_user)
    upload_document(client, agreement, SimpleUploadedFile(RIGHT_TO_LEFT_NAME, PDF_BYTES))
    document = agreement.documents.get()

    response = client.get(reverse("agreements:document", args=[agreement.reference, document.pk]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="{agreement.reference}-annex-a.pdf"'
    )


def test_html_polyglot_named_html_is_refused_by_the_admin_and_nothing_is_stored(
    client, secretariat_user, tmp_private_storage
):
    agreement = AgreementFactory()
    client.force_login(secretariat_user)

    response = upload_document(
        client, agreement, SimpleUploadedFile("annex.html", HTML_POLYGLOT, "text/html")
    )

    assert "Only PDF files (ending in .pdf) may be uploaded." in response.text
    assert not agreement.documents.exists()
    assert stored_files(tmp_private_storage) == []


def test_exchange_attachment_is_stored_under_a_portal_name_ending_in_pdf(
    client, secretariat_user, tmp_private_storage
):
    client.force_login(secretariat_user)

    admin_add(client, SimpleUploadedFile(RIGHT_TO_LEFT_NAME, PDF_BYTES))

    name = InformationExchange.objects.get().attachment.name
    assert re.fullmatch(r"exchanges/2026/[0-9a-f]{32}\.pdf", name)


def test_exe_named_pdf_is_refused_as_an_exchange_attachment_and_nothing_is_stored(
    client, secretariat_user, tmp_private_storage
):
    client.force_login(secretariat_user)

    response = admin_add(client, SimpleUploadedFile("survey.pdf", EXE_WITH_SIGNATURE))

    assert "This file is not a PDF." in response.text
    assert not InformationExchange.objects.exists()
    assert stored_files(tmp_private_storage) == []
