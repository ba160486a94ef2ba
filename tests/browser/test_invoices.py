"""A member operator, in a real Chromium, sees what the organisation owes: the overdue banner on
the dashboard, the invoice's PDF, and the invoices page with its receipts, on a desktop and on a
phone. Another member's operator cannot reach the invoice."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from members.services import billing
from tests.browser.helpers import logged_in_page
from tests.members.billing.factories import dues_invoice
from tests.members.factories import ContactFactory, MemberFactory

pytestmark = [
    pytest.mark.browser,
    # Live-server tests commit; the serialized rollback restores the data migrations' rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def member():
    return MemberFactory(name="Coralwave Telecom")


@pytest.fixture
def operator(member):
    """A member admin of Coralwave: no second factor is asked of member operators."""
    return ContactFactory(member=member, is_member_admin=True, with_login=True).user


@pytest.fixture
def overdue_invoice(member):
    return dues_invoice(member, issued_on=timezone.localdate() - datetime.timedelta(days=60))


def text_of(download) -> str:
    document = Path(download.path()).read_bytes()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def download(page, link):
    with page.expect_download() as started:
        link.click()
    return started.value


def test_operator_sees_the_overdue_banner_and_downloads_the_invoice(
    live_server, portal_page, operator, overdue_invoice
):
    page = portal_page
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Email").fill(operator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/portal/$"))

    banner = page.get_by_role("alert").filter(has_text="Dues overdue")
    text = " ".join(banner.inner_text().split())
    assert (
        f"Invoice {overdue_invoice.number} was due on {format_date(overdue_invoice.due_on)}: "
        "5000.00 USD remain to be paid." in text
    )
    assert "Pay by bank transfer with the invoice number as the reference" in text
    invoice_pdf = download(
        page, banner.get_by_role("link", name=f"Download invoice {overdue_invoice.number}")
    )

    assert invoice_pdf.suggested_filename == f"{overdue_invoice.number}.pdf"
    document = text_of(invoice_pdf)
    assert overdue_invoice.number in document
    assert "Coralwave Telecom" in document
    assert "5000.00 USD" in document


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_operator_finds_the_invoice_with_its_status_and_the_receipt_of_a_payment(
    live_server, browser_context, operator, overdue_invoice, viewport
):
    billing.record_payment(
        invoice=overdue_invoice,
        amount=Decimal("1250.00"),
        paid_on=timezone.localdate() - datetime.timedelta(days=3),
        reference="RBL-20931",
        by=None,
    )
    page = logged_in_page(browser_context, live_server, operator)
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(live_server.url + reverse("members:portal"))

    page.get_by_role("link", name="Invoices, receipts and statement").click()
    page.wait_for_url(re.compile(r"/portal/invoices/$"))
    row = page.get_by_role("row", name=re.compile(overdue_invoice.number))
    cells = " ".join(row.inner_text().split())
    assert "Overdue" in cells
    assert "3750.00 USD" in cells
    receipt = download(page, row.get_by_role("link", name=re.compile(r"^Receipt of ")))

    document = text_of(receipt)
    assert overdue_invoice.number in document
    assert "RBL-20931" in document
    assert "1250.00 USD" in document
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_operator_of_another_member_gets_404_for_the_invoice(
    live_server, browser_context, overdue_invoice
):
    stranger = ContactFactory(
        member=MemberFactory(name="Bravo Networks"), is_member_admin=True, with_login=True
    ).user
    page = logged_in_page(browser_context, live_server, stranger)

    for url in (overdue_invoice.get_absolute_url(), overdue_invoice.get_pdf_url()):
        response = page.goto(live_server.url + url)
        assert response.status == 404, url
        assert overdue_invoice.number not in page.inner_text("body")
