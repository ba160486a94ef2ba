"""Invoices, receipts and credit notes are the documents a member keeps: archival, tagged PDFs
written in the billing contact's language, dates and numbers its way, whoever downloads them."""

import pytest
from django.core import mail
from django.urls import reverse

from members.models import LanguagePreference
from members.services import billing
from tests.members.billing.factories import billing_contact, dues_invoice, partly_paid_invoice
from tests.members.factories import ContactFactory
from tests.pdfs import standards_of, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(member_a):
    return partly_paid_invoice(member_a)


@pytest.fixture
def spanish_billing_user(member_a):
    return billing_contact(member_a, language="es", with_login=True).user


def receipt_of(invoice):
    return billing.receipt_pdf(invoice=invoice, payment=invoice.payments.get())


def test_an_invoice_and_its_receipt_are_tagged_pdf_a_documents(invoice):
    for document in (billing.invoice_pdf(invoice), receipt_of(invoice)):
        standards = standards_of(document)
        assert standards.tagged
        assert standards.claims == {"pdfaid:part": "3", "pdfaid:conformance": "A"}


def test_a_member_whose_billing_contact_chose_spanish_gets_a_spanish_invoice(
    client, invoice, spanish_billing_user
):
    client.force_login(spanish_billing_user)
    document = client.get(invoice.get_pdf_url()).content

    text = text_of(document)
    assert standards_of(document).language == "es"
    assert "Factura CANTO-2026-0001" in text
    assert "Emitida el: 15 de enero de 2026" in text
    assert "5000,00 USD" in text
    assert "Saldo pendiente" in text


def test_a_member_whose_billing_contact_chose_spanish_gets_a_spanish_receipt(
    invoice, spanish_billing_user
):
    document = receipt_of(invoice)

    text = text_of(document)
    assert standards_of(document).language == "es"
    assert "Recibido el" in text
    assert "1 de febrero de 2026" in text
    assert "1250,00 USD" in text


def test_an_english_members_invoice_stays_english(invoice, member_a):
    billing_contact(member_a)

    document = billing.invoice_pdf(invoice)

    text = text_of(document)
    assert standards_of(document).language == "en"
    assert "Issued on: 15 January 2026" in text
    assert "5000.00 USD" in text


def test_the_billing_contacts_language_comes_before_the_member_admins(invoice, member_a):
    ContactFactory(member=member_a, is_member_admin=True, language="fr")
    billing_contact(member_a, language="es")

    assert standards_of(billing.invoice_pdf(invoice)).language == "es"


def test_the_billing_contacts_own_choice_on_their_login_comes_first(invoice, member_a):
    contact = billing_contact(member_a, language="es", with_login=True)
    LanguagePreference.objects.create(user=contact.user, language="nl")

    assert standards_of(billing.invoice_pdf(invoice)).language == "nl"


def test_the_secretariat_downloads_the_document_the_member_received(
    client, invoice, spanish_billing_user, secretariat_user
):
    client.force_login(secretariat_user)
    text = text_of(client.get(invoice.get_pdf_url(), HTTP_ACCEPT_LANGUAGE="en").content)

    assert "Factura CANTO-2026-0001" in text


def test_the_invoice_emailed_when_issued_is_attached_in_the_billing_contacts_language(
    invoice, spanish_billing_user
):
    billing.send_due_reminders(today=invoice.issued_on)

    (message,) = mail.outbox
    (_name, attached, _type) = message.attachments[0]
    assert "Factura CANTO-2026-0001" in text_of(attached)


@pytest.fixture
def void_invoice(member_a, secretariat_user):
    invoice = dues_invoice(member_a)
    billing.void_invoice(invoice=invoice, reason="Issued twice", by=secretariat_user)
    return invoice


def credit_note_url(invoice):
    return reverse("members:credit_note_pdf", args=[invoice.number])


def test_a_void_invoices_credit_note_is_a_pdf_a_document_in_the_billing_contacts_language(
    client, void_invoice, spanish_billing_user
):
    client.force_login(spanish_billing_user)
    document = client.get(credit_note_url(void_invoice)).content

    text = text_of(document)
    assert "Nota de crédito CN-CANTO-2026-0001" in text
    assert "5000,00 USD" in text
    assert "Issued twice" in text
    assert standards_of(document).language == "es"
    assert standards_of(document).claims == {"pdfaid:part": "3", "pdfaid:conformance": "A"}


@pytest.mark.parametrize("who", ["operator_a", "member_admin_b"])
def test_anyone_else_gets_404_for_the_credit_note(client, request, void_invoice, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(credit_note_url(void_invoice)).status_code == 404


def test_an_invoice_that_is_not_void_has_no_credit_note(client, invoice, member_admin_a):
    client.force_login(member_admin_a)

    assert client.get(credit_note_url(invoice)).status_code == 404


def test_a_void_invoices_page_links_its_credit_note(client, void_invoice, member_admin_a):
    client.force_login(member_admin_a)

    assert credit_note_url(void_invoice) in client.get(void_invoice.get_absolute_url()).text
