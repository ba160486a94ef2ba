"""Who sees a member's invoices: its admins and billing contacts, and the Secretariat. Any
other login gets 404 for an invoice, as for one that does not exist."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from members.services import billing
from tests.members.billing.factories import billing_contact, dues_invoice, partly_paid_invoice

pytestmark = pytest.mark.django_db


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


@pytest.fixture
def invoice(member_a):
    return partly_paid_invoice(member_a)


@pytest.fixture
def billing_user(member_a):
    return billing_contact(member_a, with_login=True).user


def invoice_urls(invoice):
    payment = invoice.payments.get()
    return [
        invoice.get_absolute_url(),
        invoice.get_pdf_url(),
        payment.get_receipt_url(),
    ]


@pytest.mark.parametrize("who", ["member_admin_a", "billing_user", "secretariat_user"])
def test_admins_billing_contacts_and_secretariat_open_the_invoice_pdf_and_receipt(
    client, request, invoice, who
):
    client.force_login(request.getfixturevalue(who))
    for url in invoice_urls(invoice):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["operator_a", "member_admin_b", "board_user"])
def test_anyone_else_gets_404_for_the_invoice_pdf_and_receipt(client, request, invoice, who):
    client.force_login(request.getfixturevalue(who))
    for url in invoice_urls(invoice):
        assert client.get(url).status_code == 404, url


def test_an_anonymous_visitor_is_sent_to_log_in(client, invoice):
    for url in invoice_urls(invoice):
        assert "/accounts/login/" in client.get(url)["Location"]


def test_a_receipt_of_another_invoice_is_404(client, invoice, member_admin_a, member_b):
    other = dues_invoice(member_b)
    client.force_login(member_admin_a)
    payment = invoice.payments.get()
    url = reverse("members:receipt_pdf", args=[other.number, payment.pk])
    assert client.get(url).status_code == 404


def test_the_invoice_pdf_shows_number_member_total_and_paid_so_far(client, invoice, billing_user):
    client.force_login(billing_user)
    response = client.get(invoice.get_pdf_url())

    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "CANTO-2026-0001" in text
    assert "Alpha Telecom" in text
    assert "5000.00 USD" in text
    assert "1250.00 USD" in text
    assert "Port of Spain" in text


def test_the_receipt_pdf_shows_the_payment(client, invoice, billing_user):
    client.force_login(billing_user)
    text = text_of(client.get(invoice.payments.get().get_receipt_url()).content)
    assert "CANTO-2026-0001" in text
    assert "RBL-0001" in text
    assert "1250.00 USD" in text


@pytest.mark.parametrize("who", ["member_admin_a", "billing_user"])
def test_invoice_list_and_statement_for_admins_and_billing_contacts(client, request, invoice, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("members:invoices"))
    assert response.status_code == 200
    assert "CANTO-2026-0001" in response.text
    assert "Statement of the last five years" in response.text


def test_an_operator_without_a_billing_role_may_not_open_the_invoice_list(
    client, invoice, operator_a
):
    client.force_login(operator_a)
    assert client.get(reverse("members:invoices")).status_code == 403


def test_another_members_invoices_are_not_listed(client, invoice, member_admin_b):
    client.force_login(member_admin_b)
    response = client.get(reverse("members:invoices"))
    assert "CANTO-2026-0001" not in response.text


def test_dashboard_shows_balance_and_an_overdue_banner_that_says_what_to_do(
    client, member_a, member_admin_a
):
    invoice = dues_invoice(member_a, issued_on=timezone.localdate() - datetime.timedelta(days=60))
    client.force_login(member_admin_a)
    response = client.get(reverse("members:portal"))
    assert "5000.00 USD" in response.text
    assert "Dues overdue" in response.text
    assert "Pay by bank transfer with the invoice number as the reference" in response.text
    assert invoice.get_pdf_url() in response.text


def test_overdue_banner_sends_an_operator_without_a_billing_role_to_those_who_pay(
    client, member_a, operator_a
):
    invoice = dues_invoice(member_a, issued_on=timezone.localdate() - datetime.timedelta(days=60))
    client.force_login(operator_a)
    response = client.get(reverse("members:portal"))
    assert "Dues overdue" in response.text
    assert "member admins and billing contact have the invoice" in response.text
    assert "the bank details are on the invoice" not in response.text
    assert invoice.get_pdf_url() not in response.text


def test_dashboard_shows_the_next_due_date_and_no_banner_before_it(client, member_a, operator_a):
    invoice = dues_invoice(member_a, issued_on=timezone.localdate())
    client.force_login(operator_a)
    response = client.get(reverse("members:portal"))
    assert "Dues overdue" not in response.text
    assert "next due on" in response.text
    assert str(invoice.due_on.year) in response.text


def test_dashboard_query_count_stays_the_same_as_invoices_grow(client, member_a, operator_a):
    client.force_login(operator_a)

    def queries_of_dashboard():
        # Each time right after a new invoice: the cached parts are built afresh.
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("members:portal")).status_code == 200
        return len(queries)

    dues_invoice(member_a, year=2024)
    with_one = queries_of_dashboard()
    for year in (2021, 2022, 2023, 2025):
        dues_invoice(member_a, year=year)
    assert queries_of_dashboard() == with_one


def test_invoices_page_query_count_stays_the_same_as_invoices_and_payments_grow(
    client, member_a, member_admin_a
):
    client.force_login(member_admin_a)

    def queries_of_invoices_page():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("members:invoices")).status_code == 200
        return len(queries)

    def paid_in_two(invoice):
        for n, amount in enumerate([Decimal("1000.00"), Decimal("4000.00")], start=1):
            billing.record_payment(
                invoice=invoice,
                amount=amount,
                paid_on=invoice.issued_on,
                reference=f"{invoice.number}-{n}",
                by=None,
            )

    paid_in_two(dues_invoice(member_a, year=2024))
    with_one = queries_of_invoices_page()
    for year in (2021, 2022, 2023, 2025):
        paid_in_two(dues_invoice(member_a, year=year))
    assert queries_of_invoices_page() == with_one


def test_invoices_page_tells_a_billing_contact_how_to_pay_what_is_overdue(
    client, member_a, billing_user
):
    dues_invoice(member_a, issued_on=timezone.localdate() - datetime.timedelta(days=60))
    client.force_login(billing_user)
    response = client.get(reverse("members:invoices"))
    assert "Pay by bank transfer with the invoice number as the reference" in response.text
    assert "member admins and billing contact have the invoice" not in response.text


def test_invoices_page_shows_a_payment_recorded_after_it_was_first_seen(
    client, invoice, billing_user
):
    client.force_login(billing_user)
    client.get(reverse("members:invoices"))
    billing.record_payment(
        invoice=invoice,
        amount=Decimal("1234.00"),
        paid_on=invoice.issued_on,
        reference="TRANSFER-LATE",
        by=None,
    )
    response = client.get(reverse("members:invoices"))
    # 5,000 invoiced, 1,250 paid before and 1,234 now.
    assert "2516.00 USD" in response.text
