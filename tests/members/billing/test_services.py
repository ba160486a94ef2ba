import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import (
    Dues,
    ImmutableOnceIssued,
    Invoice,
    InvoiceLine,
    LapseProposal,
    Member,
    Payment,
)
from members.services import billing
from members.services.billing import BillingRefused
from tests.members.billing.factories import ISSUED_ON, YEAR, billing_contact, dues_invoice, rate
from tests.members.factories import MemberFactory, MembershipCategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

PAID_ON = datetime.date(2026, 2, 1)


@pytest.fixture
def secretariat(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def invoice():
    return dues_invoice(MemberFactory(name="Alpha Telecom"))


def pay(invoice, amount="1000.00", **kwargs):
    kwargs.setdefault("paid_on", PAID_ON)
    return billing.record_payment(invoice=invoice, amount=Decimal(amount), by=None, **kwargs)


def test_preview_counts_invoices_members_and_total():
    full = MembershipCategoryFactory(name="Full")
    associate = MembershipCategoryFactory(name="Associate", annual_dues=Decimal("2500"))
    rate(full, amount="5000.00")
    rate(associate, amount="2500.00")
    MemberFactory(name="Alpha Telecom", category=full)
    MemberFactory(name="Bravo Networks", category=associate)
    MemberFactory(name="Charlie Lapsed", category=full, status=Member.Status.LAPSED)

    preview = billing.preview_dues(year=YEAR)

    assert preview.count == 2
    assert [member.name for member, _rate in preview.invoices] == [
        "Alpha Telecom",
        "Bravo Networks",
    ]
    assert preview.totals == {"USD": Decimal("7500.00")}


def test_issuing_numbers_invoices_in_sequence_with_due_date_and_line(secretariat, settings):
    settings.DUES_NET_DAYS = 30
    rate()
    MemberFactory(name="Bravo Networks")
    MemberFactory(name="Alpha Telecom")

    invoices = billing.issue_dues(year=YEAR, by=secretariat, issued_on=ISSUED_ON)

    assert [(i.member.name, i.number) for i in invoices] == [
        ("Alpha Telecom", "CANTO-2026-0001"),
        ("Bravo Networks", "CANTO-2026-0002"),
    ]
    invoice = Invoice.objects.get(number="CANTO-2026-0001")
    assert invoice.due_on == datetime.date(2026, 2, 14)
    assert invoice.total == Decimal("5000.00")
    assert [line.amount for line in invoice.lines.all()] == [Decimal("5000.00")]
    assert invoice.status_on(datetime.date(2026, 2, 14)) == Invoice.Status.ISSUED
    assert invoice.status_on(datetime.date(2026, 2, 15)) == Invoice.Status.OVERDUE


def test_issuing_twice_creates_nothing_new(secretariat):
    rate()
    MemberFactory()
    billing.issue_dues(year=YEAR, by=secretariat)

    assert billing.issue_dues(year=YEAR, by=secretariat) == []
    assert Invoice.objects.count() == 1


def test_issuing_keeps_the_yearly_dues_record(secretariat):
    rate()
    member = MemberFactory()

    billing.issue_dues(year=YEAR, by=secretariat)

    dues = Dues.objects.get(member=member, year=YEAR)
    assert (dues.amount, dues.status) == (Decimal("5000.00"), Dues.Status.ISSUED)


def test_each_dues_line_is_written_in_the_language_of_its_members_invoices(secretariat):
    category = MembershipCategoryFactory(name="Observer", name_es="observador")
    rate(category)
    billing_contact(MemberFactory(name="Alpha Telecom", category=category), language="es")
    MemberFactory(name="Bravo Networks", category=category)

    billing.issue_dues(year=YEAR, by=secretariat, issued_on=ISSUED_ON)

    lines = InvoiceLine.objects.order_by("invoice__member__name")
    assert [line.description for line in lines] == [
        "Cuota anual 2026, miembro observador",
        "Annual dues 2026, Observer member",
    ]


def test_issuing_without_a_rate_is_refused(secretariat):
    MemberFactory()
    with pytest.raises(BillingRefused, match="no dues rates for 2026"):
        billing.issue_dues(year=YEAR, by=secretariat)


def test_numbers_continue_after_a_later_run(secretariat):
    first = dues_invoice(MemberFactory())
    second = dues_invoice(MemberFactory())
    assert (first.number, second.number) == ("CANTO-2026-0001", "CANTO-2026-0002")


def test_database_refuses_a_second_dues_invoice_for_a_member_and_year(invoice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            member=invoice.member,
            year=YEAR,
            number="CANTO-2026-9999",
            issued_on=ISSUED_ON,
            due_on=ISSUED_ON,
            total=Decimal("1"),
        )


def test_database_refuses_a_zero_total():
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            member=MemberFactory(),
            year=YEAR,
            number="CANTO-2026-9999",
            issued_on=ISSUED_ON,
            due_on=ISSUED_ON,
            total=Decimal("0"),
        )


def test_an_issued_invoice_cannot_be_edited_or_deleted(invoice):
    invoice.total = Decimal("1.00")
    with pytest.raises(ImmutableOnceIssued):
        invoice.save()
    with pytest.raises(ImmutableOnceIssued):
        invoice.delete()
    with pytest.raises(ImmutableOnceIssued):
        invoice.lines.first().delete()
    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("5000.00")


def test_a_partial_payment_leaves_the_invoice_partly_paid():
    invoice = dues_invoice(issued_on=timezone.localdate())
    pay(invoice, "1000.00", reference="TT-1")

    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.status == Invoice.Status.PARTLY_PAID
    assert invoice.balance_due == Decimal("4000.00")


def test_paying_the_balance_marks_invoice_and_dues_paid(invoice):
    pay(invoice, "1000.00", reference="TT-1")
    pay(invoice, "4000.00", reference="TT-2", paid_on=datetime.date(2026, 2, 10))

    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.PAID
    dues = Dues.objects.get(member=invoice.member, year=YEAR)
    assert (dues.status, dues.paid_on) == (Dues.Status.PAID, datetime.date(2026, 2, 10))


def test_list_status_matches_the_single_invoice_status(invoice):
    pay(invoice, "1000.00")
    listed = Invoice.objects.with_status().get(pk=invoice.pk)
    assert listed.status == Invoice.objects.get(pk=invoice.pk).status


@pytest.mark.parametrize(
    ("amount", "kwargs", "message"),
    [
        ("0", {}, "more than zero"),
        ("-5", {}, "more than zero"),
        ("5000.01", {}, "more than the balance"),
        ("100", {"currency": "EUR"}, "is in USD; this payment is in EUR"),
    ],
)
def test_a_bad_payment_is_refused_and_writes_nothing(invoice, amount, kwargs, message):
    with pytest.raises(BillingRefused, match=message):
        pay(invoice, amount, **kwargs)
    assert not Payment.objects.exists()


def test_a_bank_reference_used_twice_is_refused(invoice):
    pay(invoice, "100", reference="TT-1")
    with pytest.raises(BillingRefused, match="TT-1 is already recorded"):
        pay(invoice, "100", reference="TT-1")
    assert Payment.objects.count() == 1


def test_a_payment_on_a_void_invoice_is_refused(invoice, secretariat):
    billing.void_invoice(invoice=invoice, reason="Wrong category", by=secretariat)
    with pytest.raises(BillingRefused, match="is void"):
        pay(invoice, "100")
    assert not Payment.objects.exists()


def test_voiding_leaves_a_credit_note_and_room_for_a_corrected_invoice(invoice, secretariat):
    note = billing.void_invoice(invoice=invoice, reason="Wrong category", by=secretariat)

    assert (note.amount, note.reason) == (Decimal("5000.00"), "Wrong category")
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.VOID
    assert [i.number for i in billing.issue_dues(year=YEAR, by=secretariat)] == ["CANTO-2026-0002"]


def test_voiding_needs_a_reason(invoice, secretariat):
    with pytest.raises(BillingRefused, match="Give the reason"):
        billing.void_invoice(invoice=invoice, reason=" ", by=secretariat)
    assert Invoice.objects.get(pk=invoice.pk).voided_on is None


def test_waiving_marks_invoice_and_dues_waived(invoice, secretariat):
    billing.waive_invoice(invoice=invoice, reason="Hurricane relief", by=secretariat)

    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.WAIVED
    assert Dues.objects.get(member=invoice.member).status == Dues.Status.WAIVED


def due_days_ago(days, settings):
    settings.DUES_NET_DAYS = 30
    issued_on = timezone.localdate() - datetime.timedelta(days=30 + days)
    return dues_invoice(issued_on=issued_on)


def test_a_member_stays_in_good_standing_within_the_grace_period(settings):
    settings.DUES_GRACE_DAYS = 30
    invoice = due_days_ago(30, settings)
    assert Member.objects.get(pk=invoice.member.pk).in_good_standing


def test_a_member_loses_good_standing_past_the_grace_period(settings):
    settings.DUES_GRACE_DAYS = 30
    invoice = due_days_ago(31, settings)
    member = Member.objects.get(pk=invoice.member.pk)
    assert not member.in_good_standing
    assert not Member.objects.with_standing().get(pk=member.pk).in_good_standing


def test_paying_restores_good_standing(settings):
    invoice = due_days_ago(90, settings)
    pay(invoice, "5000.00")
    assert Member.objects.get(pk=invoice.member.pk).in_good_standing


def test_long_overdue_members_are_proposed_for_lapsing_once(invoice, settings):
    settings.DUES_LAPSE_PROPOSAL_DAYS = 90
    late = invoice.due_on + datetime.timedelta(days=91)

    assert [p.member for p in billing.propose_lapses(today=late)] == [invoice.member]
    assert billing.propose_lapses(today=late) == []
    assert Member.objects.get(pk=invoice.member.pk).status == Member.Status.ACTIVE


def test_confirming_a_proposal_lapses_the_member(invoice, secretariat):
    [proposal] = billing.propose_lapses(today=invoice.due_on + datetime.timedelta(days=200))

    billing.confirm_lapse(proposal=proposal, by=secretariat, note="No answer to reminders")

    assert Member.objects.get(pk=invoice.member.pk).status == Member.Status.LAPSED
    proposal.refresh_from_db()
    assert proposal.status == LapseProposal.Status.CONFIRMED
    assert proposal.history.count() == 2


def test_a_dismissed_proposal_is_not_made_again_for_the_same_invoice(invoice, secretariat):
    late = invoice.due_on + datetime.timedelta(days=200)
    [proposal] = billing.propose_lapses(today=late)

    billing.dismiss_lapse(proposal=proposal, by=secretariat, note="Paying in instalments")

    assert billing.propose_lapses(today=late) == []
    assert Member.objects.get(pk=invoice.member.pk).status == Member.Status.ACTIVE


def test_a_decided_proposal_cannot_be_decided_again(invoice, secretariat):
    [proposal] = billing.propose_lapses(today=invoice.due_on + datetime.timedelta(days=200))
    billing.dismiss_lapse(proposal=proposal, by=secretariat)
    with pytest.raises(BillingRefused, match="decided already"):
        billing.confirm_lapse(proposal=proposal, by=secretariat)


def test_lines_of_an_invoice_add_up_to_its_total(invoice):
    assert sum(line.amount for line in InvoiceLine.objects.filter(invoice=invoice)) == invoice.total


# One-off invoices


def conference_lines():
    return [
        InvoiceLine(description="Conference package", quantity=2, unit_price=Decimal("750.00")),
        InvoiceLine(description="Gala dinner", quantity=1, unit_price=Decimal("120.00")),
    ]


def test_a_one_off_invoice_carries_its_lines_and_the_next_number(invoice, secretariat, settings):
    settings.DUES_NET_DAYS = 30

    extra = billing.issue_invoice(
        member=invoice.member,
        lines=conference_lines(),
        currency="USD",
        by=secretariat,
        issued_on=datetime.date(2026, 3, 1),
    )

    assert (extra.number, extra.kind, extra.year) == ("CANTO-2026-0002", Invoice.Kind.OTHER, 2026)
    assert extra.total == Decimal("1620.00") and extra.due_on == datetime.date(2026, 3, 31)
    assert [(line.description, line.amount) for line in extra.lines.all()] == [
        ("Conference package", Decimal("1500.00")),
        ("Gala dinner", Decimal("120.00")),
    ]
    assert extra.status_on(datetime.date(2026, 3, 1)) == Invoice.Status.ISSUED
    assert dues_invoice(MemberFactory()).number == "CANTO-2026-0003"


@pytest.mark.parametrize(
    "lines,message",
    [
        ([], "Give at least one line."),
        (
            [InvoiceLine(description="Booth", quantity=1, unit_price=Decimal("0"))],
            "Line “Booth”: the quantity must be at least 1 and the price above zero.",
        ),
        (
            [InvoiceLine(description=" ", quantity=1, unit_price=Decimal("10"))],
            "Each line needs a description.",
        ),
    ],
)
def test_a_one_off_invoice_without_proper_lines_is_refused_and_writes_nothing(
    secretariat, lines, message
):
    with pytest.raises(BillingRefused, match=message):
        billing.issue_invoice(member=MemberFactory(), lines=lines, currency="USD", by=secretariat)

    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()
