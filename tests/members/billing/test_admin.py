import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from members.models import Invoice, LapseProposal, Member, Payment
from members.services import billing
from tests.members.billing.factories import YEAR, dues_invoice, rate
from tests.members.factories import ContactFactory, MemberFactory, UserFactory, activate_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


@pytest.fixture
def invoice(member_a):
    ContactFactory(member=member_a, is_member_admin=True, email="admin@alpha.example")
    return dues_invoice(member_a)


def test_issuing_shows_a_preview_then_issues(secretariat_client, member_a, member_b):
    rate()
    url = reverse("admin:members_invoice_issue")

    preview = secretariat_client.get(url, {"year": YEAR})
    assert "2 invoices would be issued for 2026" in preview.text
    assert "Alpha Telecom" in preview.text and "10000.00 USD" in preview.text
    assert not Invoice.objects.exists()

    secretariat_client.post(url, {"year": YEAR})
    assert Invoice.objects.count() == 2


def test_a_payment_is_recorded_in_two_clicks_from_the_invoice(secretariat_client, invoice):
    change = secretariat_client.get(reverse("admin:members_invoice_change", args=[invoice.pk]))
    pay_url = reverse("admin:members_invoice_pay", args=[invoice.pk])
    assert pay_url in change.text

    form = secretariat_client.get(pay_url)
    assert 'value="5000.00"' in form.text
    secretariat_client.post(
        pay_url,
        {"amount": "5000.00", "paid_on": "2026-02-01", "method": "bank_transfer", "reference": ""},
    )
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.PAID


def test_a_refused_payment_shows_why_and_records_nothing(secretariat_client, invoice):
    response = secretariat_client.post(
        reverse("admin:members_invoice_pay", args=[invoice.pk]),
        {"amount": "6000", "paid_on": "2026-02-01", "method": "bank_transfer"},
    )
    assert "more than the balance" in response.text
    assert not Payment.objects.exists()


def test_a_reminder_sent_again_from_the_invoice_is_logged(secretariat_client, invoice):
    secretariat_client.post(reverse("admin:members_invoice_remind", args=[invoice.pk]))
    assert len(mail.outbox) == 1
    assert invoice.reminders.get().sent_by is not None


def test_voiding_from_the_admin_needs_a_reason_and_leaves_a_credit_note(
    secretariat_client, invoice
):
    url = reverse("admin:members_invoice_close", args=[invoice.pk, "void"])
    secretariat_client.post(url, {"reason": "Issued to the wrong category"})
    assert Invoice.objects.get(pk=invoice.pk).credit_note.amount == Decimal("5000.00")


def test_an_invoice_cannot_be_added_or_deleted_in_the_admin(secretariat_client, invoice):
    assert secretariat_client.get(reverse("admin:members_invoice_add")).status_code == 403
    delete = reverse("admin:members_invoice_delete", args=[invoice.pk])
    assert secretariat_client.get(delete).status_code == 403


def test_the_lapse_queue_confirms_a_proposal(secretariat_client, invoice):
    [proposal] = billing.propose_lapses(today=invoice.due_on + datetime.timedelta(days=200))
    secretariat_client.post(
        reverse("admin:members_lapseproposal_changelist"),
        {"action": "confirm", "_selected_action": [proposal.pk]},
    )
    assert LapseProposal.objects.get().status == LapseProposal.Status.CONFIRMED
    assert Member.objects.get(pk=invoice.member_id).status == Member.Status.LAPSED


def test_ageing_by_country_totals_open_balances(secretariat_client, invoice):
    dues_invoice(MemberFactory(country="JM"))
    url = reverse("admin:members_invoice_report", args=["ageing-by-country"])
    response = secretariat_client.get(url)
    assert "Trinidad and Tobago" in response.text and "Jamaica" in response.text
    assert "10000.00" in response.text


@pytest.mark.parametrize("report", ["ageing-by-member", "invoiced-collected"])
def test_reports_export_as_csv_and_xlsx(secretariat_client, invoice, report):
    url = reverse("admin:members_invoice_report", args=[report])
    csv = secretariat_client.get(url, {"format": "csv"})
    assert ",5000" in csv.content.decode()
    xlsx = secretariat_client.get(url, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row >= 2


def test_an_operator_cannot_open_the_reports(client, operator_a, invoice):
    client.force_login(operator_a)
    url = reverse("admin:members_invoice_report", args=["ageing-by-member"])
    assert client.get(url).status_code == 302


def one_off_invoice_data(member, *lines):
    data = {
        "member": member.pk,
        "currency": "USD",
        "lines-TOTAL_FORMS": "4",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index in range(4):
        description, quantity, price = lines[index] if index < len(lines) else ("", "1", "")
        data |= {
            f"lines-{index}-description": description,
            f"lines-{index}-quantity": quantity,
            f"lines-{index}-unit_price": price,
        }
    return data


def test_the_secretariat_issues_an_invoice_with_extra_lines(secretariat_client, member_a):
    url = reverse("admin:members_invoice_issue_one")
    listing = secretariat_client.get(reverse("admin:members_invoice_changelist"))
    assert url in listing.text
    assert "Line 4" in secretariat_client.get(url).text

    response = secretariat_client.post(
        url,
        one_off_invoice_data(
            member_a, ("Conference package", "2", "750.00"), ("Gala dinner", "1", "120.00")
        ),
    )

    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:members_invoice_change", args=[invoice.pk])
    assert (invoice.member, invoice.kind, invoice.total) == (
        member_a,
        Invoice.Kind.OTHER,
        Decimal("1620.00"),
    )
    assert invoice.lines.count() == 2


def test_an_invoice_without_lines_is_not_issued(secretariat_client, member_a):
    response = secretariat_client.post(
        reverse("admin:members_invoice_issue_one"), one_off_invoice_data(member_a)
    )

    assert response.status_code == 200
    assert "Please submit at least 1 form." in response.text
    assert not Invoice.objects.exists()


def test_staff_who_may_only_view_invoices_cannot_issue_one(client, member_a):
    staff = UserFactory(is_staff=True)
    activate_totp(staff)
    staff.user_permissions.add(Permission.objects.get(codename="view_invoice"))
    client.force_login(staff)
    url = reverse("admin:members_invoice_issue_one")

    assert client.get(url).status_code == 403
    data = one_off_invoice_data(member_a, ("Booth", "1", "500.00"))
    assert client.post(url, data).status_code == 403
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    "url", ["members_invoice_issue_one", "members_payment_import", "members_payment_export"]
)
@pytest.mark.parametrize("role", ["operator_a", "board_user", None])
def test_operators_board_members_and_strangers_are_sent_to_log_in(client, request, role, url):
    if role:
        client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(f"admin:{url}"))

    assert response.status_code == 302 and "/login/" in response["Location"]
