"""Bank statements imported as payments: matched on invoice number, each row under the rules
of a payment recorded by hand, all or nothing; and who may import them in the admin (operators,
board members and strangers are sent to log in: test_admin.py)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from canto_portal.spreadsheets.formats import CSV, XLSX
from members import demo, demo_billing
from members.bank_statements import PaymentResource
from members.models import Dues, Invoice, Payment
from members.services import billing
from tests.members.billing.factories import YEAR, rate
from tests.members.factories import UserFactory, activate_totp
from tests.members.test_import_admin import confirm, upload
from tests.members.test_resources import row_errors

pytestmark = pytest.mark.django_db

HEADER = "reference,invoice,amount,currency,paid_on,method\n"
ALPHA, BRAVO = "CANTO-2026-0001", "CANTO-2026-0002"
PAID_ON = datetime.date(2026, 2, 1)
GOOD_ROW = f"FT-100,{ALPHA},1000.00,USD,2026-02-01,\n"


@pytest.fixture
def invoices(member_a, member_b):
    """Alpha Telecom's and Bravo Networks' dues invoices for 2026, 5,000 USD each."""
    rate()
    billing.issue_dues(year=YEAR, by=None)
    return Invoice.objects.get(number=ALPHA), Invoice.objects.get(number=BRAVO)


def statement(rows):
    return CSV().create_dataset((HEADER + rows).encode())


def run_import(rows, dry_run=False, user=None):
    return PaymentResource().import_data(statement(rows), dry_run=dry_run, user=user)


def status(invoice):
    return Invoice.objects.get(pk=invoice.pk).status


# A clean statement


def test_a_clean_statement_records_its_payments_and_the_invoices_follow(invoices):
    alpha, bravo = invoices
    recorder = UserFactory(is_staff=True)

    result = run_import(
        f"FT-100,{ALPHA},3000.00,USD,2026-02-01,bank_transfer\n"
        f"FT-101,{ALPHA},2000.00,USD,2026-02-03,\n"
        f"CHQ-7,{BRAVO},1500.00,USD,2026-02-04,cheque\n",
        user=recorder,
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 3
    assert status(alpha) == Invoice.Status.PAID
    assert status(bravo) == Invoice.Status.PARTLY_PAID
    assert Dues.objects.get(invoices=alpha).status == Dues.Status.PAID
    assert set(Payment.objects.values_list("reference", "method", "recorded_by")) == {
        ("FT-100", "bank_transfer", recorder.pk),
        ("FT-101", "bank_transfer", recorder.pk),
        ("CHQ-7", "cheque", recorder.pk),
    }


def test_a_preview_checks_every_row_and_records_nothing(invoices):
    result = run_import(GOOD_ROW, dry_run=True)

    assert result.totals["new"] == 1
    assert not Payment.objects.exists()


def test_the_invoice_number_is_found_within_the_banks_description(invoices):
    alpha, _bravo = invoices

    run_import(f"FT-100,Transfer {ALPHA.lower()} dues Alpha,5000.00,USD,2026-02-01,\n")

    assert status(alpha) == Invoice.Status.PAID


# Refused rows: the row's message, and nothing from the file written


def refused(rows):
    """Imports a good row followed by `rows`; returns the messages, having checked that
    nothing was written, not even the good row."""
    result = run_import(GOOD_ROW + rows)
    assert not Payment.objects.filter(reference="FT-100").exists()
    return " ".join(row_errors(result))


def test_an_unknown_invoice_number_is_refused(invoices):
    messages = refused("FT-200,CANTO-2026-0999,100.00,USD,2026-02-01,\n")

    assert "Row 2 (line 3 of the file), column “invoice”, value “CANTO-2026-0999”" in messages
    assert "No invoice has this number" in messages


@pytest.mark.parametrize("amount", ["0.00", "-50.00"])
def test_a_zero_or_negative_amount_is_refused(invoices, amount):
    messages = refused(f"FT-200,{BRAVO},{amount},USD,2026-02-01,\n")

    assert "Row 2 (line 3 of the file): The amount must be more than zero." in messages


def test_a_payment_on_a_void_invoice_is_refused(invoices):
    billing.void_invoice(invoice=invoices[1], reason="Issued by mistake.", by=None)

    messages = refused(f"FT-200,{BRAVO},100.00,USD,2026-02-01,\n")

    assert f"Row 2 (line 3 of the file): Invoice {BRAVO} is void" in messages


def test_a_payment_on_a_waived_invoice_is_refused(invoices):
    billing.waive_invoice(invoice=invoices[1], reason="Hurricane year.", by=None)

    messages = refused(f"FT-200,{BRAVO},100.00,USD,2026-02-01,\n")

    assert f"Invoice {BRAVO} is waived: no payment can be recorded on it." in messages


def test_a_payment_above_the_balance_is_refused(invoices):
    messages = refused(f"FT-200,{BRAVO},5000.01,USD,2026-02-01,\n")

    assert f"5000.01 is more than the balance of invoice {BRAVO} (5000.00)." in messages


def test_rows_for_one_invoice_count_together_against_its_balance(invoices):
    messages = refused(f"FT-200,{ALPHA},4500.00,USD,2026-02-02,\n")

    assert "Row 2 (line 3 of the file): 4500.00 is more than the balance of invoice" in messages
    assert f"{ALPHA} (4000.00)." in messages


def test_a_bank_reference_already_recorded_is_refused(invoices):
    billing.record_payment(
        invoice=invoices[1], amount=Decimal("10"), paid_on=PAID_ON, reference="FT-200", by=None
    )

    messages = refused(f"FT-200,{BRAVO},100.00,USD,2026-02-01,\n")

    assert "A payment with bank reference FT-200 is already recorded." in messages
    assert Payment.objects.count() == 1


def test_a_bank_reference_twice_in_the_file_is_refused(invoices):
    messages = refused(f"ft-100,{BRAVO},100.00,USD,2026-02-01,\n")

    assert "Row 2 (line 3 of the file), column “reference”, value “ft-100”" in messages
    assert "Row 1 of this file has the same bank reference" in messages


def test_a_row_without_a_bank_reference_is_refused(invoices):
    messages = refused(f",{BRAVO},100.00,USD,2026-02-01,\n")

    assert "Give the bank's reference of the transfer" in messages


def test_a_payment_in_another_currency_is_refused(invoices):
    messages = refused(f"FT-200,{BRAVO},100.00,TTD,2026-02-01,\n")

    assert f"Invoice {BRAVO} is in USD; this payment is in TTD." in messages


def test_a_row_without_a_currency_is_refused_not_guessed(invoices):
    messages = refused(f"FT-200,{BRAVO},100.00,,2026-02-01,\n")

    assert "column “currency”" in messages


def test_a_statement_without_the_amount_column_is_refused(invoices):
    result = PaymentResource().import_data(
        CSV().create_dataset(f"reference,invoice\nFT-1,{ALPHA}\n".encode())
    )

    assert "Missing required columns: amount, currency, paid_on." in str(
        result.base_errors[0].error
    )
    assert not Payment.objects.exists()


def test_the_example_statements_preview_cleanly_against_a_demo_seeded_in_2026(settings):
    day = datetime.date(2026, 12, 1)
    demo.seed(today=day)
    demo_billing.seed(day)
    folder = settings.BASE_DIR / "docs" / "import-examples"

    results = [
        PaymentResource().import_data(
            file_format.create_dataset((folder / f"payments.{extension}").read_bytes()),
            dry_run=True,
        )
        for file_format, extension in [(CSV(), "csv"), (XLSX(), "xlsx")]
    ]

    assert [result.totals["new"] for result in results] == [4, 4], row_errors(results[0])


# Export


def test_the_export_names_the_payment_and_carries_no_secret(invoices):
    recorder = UserFactory(is_staff=True, email="recorder@canto.example")
    billing.record_payment(
        invoice=invoices[0],
        amount=Decimal("5000.00"),
        paid_on=PAID_ON,
        reference="FT-100",
        by=recorder,
    )

    exported = PaymentResource().export()

    assert exported.headers == [
        "reference",
        "invoice",
        "member",
        "amount",
        "currency",
        "paid_on",
        "method",
    ]
    assert list(exported[0]) == [
        "FT-100",
        ALPHA,
        "Alpha Telecom",
        "5000.00",
        "USD",
        "2026-02-01",
        "bank_transfer",
    ]
    assert "recorder@canto.example" not in exported.csv and recorder.password not in exported.csv


# The admin


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def test_the_secretariat_previews_a_statement_then_confirms_it(secretariat_client, invoices):
    content = (HEADER + f"FT-100,{ALPHA},5000.00,USD,2026-02-01,\n").encode()

    preview = upload(secretariat_client, "payment", content, name="statement.csv")

    assert "Confirm import" in preview.text
    assert not Payment.objects.exists()
    done = confirm(secretariat_client, "payment", preview)
    assert done.redirect_chain[-1][0] == reverse("admin:members_payment_changelist")
    assert status(invoices[0]) == Invoice.Status.PAID


def test_a_refused_row_shows_in_the_admin_with_no_confirm(secretariat_client, invoices):
    content = (HEADER + GOOD_ROW + f"FT-200,{BRAVO},9000.00,USD,2026-02-01,\n").encode()

    response = upload(secretariat_client, "payment", content, name="statement.csv")

    assert "Nothing was imported." in response.text
    assert f"9000.00 is more than the balance of invoice {BRAVO}" in response.text
    assert "confirm_form" not in response.context
    assert not Payment.objects.exists()


def test_the_secretariat_sees_the_import_and_export_buttons(secretariat_client):
    listing = secretariat_client.get(reverse("admin:members_payment_changelist"))
    page = secretariat_client.get(reverse("admin:members_payment_import"))

    assert reverse("admin:members_payment_import") in listing.text
    assert reverse("admin:members_payment_export") in listing.text
    assert page.status_code == 200 and "File to import" in page.text


def test_staff_who_may_only_view_payments_cannot_import_them(client, invoices):
    staff = UserFactory(is_staff=True)
    activate_totp(staff)
    staff.user_permissions.add(Permission.objects.get(codename="view_payment"))
    client.force_login(staff)
    content = (HEADER + GOOD_ROW).encode()

    listing = client.get(reverse("admin:members_payment_changelist"))

    assert reverse("admin:members_payment_import") not in listing.text
    assert client.get(reverse("admin:members_payment_import")).status_code == 403
    assert upload(client, "payment", content).status_code == 403
    assert not Payment.objects.exists()
