"""Reminders go once per invoice and stage, to the member's admins and billing contacts:
a re-run sends nothing new, and a sender killed halfway leaves the rest for the next run."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from members.models import InvoiceReminder
from members.services import billing
from members.services.billing import reminders
from tests.members.billing.factories import billing_contact, dues_invoice
from tests.members.factories import ContactFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

Stage = InvoiceReminder.Stage


@pytest.fixture
def invoice(settings):
    settings.DUES_NET_DAYS = 30
    member = MemberFactory(name="Alpha Telecom")
    ContactFactory(member=member, email="admin@alpha.example", is_member_admin=True)
    billing_contact(member, email="accounts@alpha.example")
    ContactFactory(member=member, email="engineer@alpha.example")
    return dues_invoice(member, issued_on=datetime.date(2026, 1, 15))


def test_the_issue_reminder_goes_to_admins_and_billing_contacts_with_the_pdf(invoice):
    billing.send_due_reminders(today=invoice.issued_on)

    [message] = mail.outbox
    assert sorted(message.to) == ["accounts@alpha.example", "admin@alpha.example"]
    assert "CANTO-2026-0001" in message.subject
    assert "5000.00 USD" in message.body
    assert invoice.get_absolute_url() in message.body
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("CANTO-2026-0001.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("days_from_due", "stage"),
    [(-14, Stage.BEFORE_DUE), (0, Stage.DUE), (30, Stage.OVERDUE)],
)
def test_each_stage_is_sent_on_its_day(invoice, days_from_due, stage):
    billing.send_due_reminders(today=invoice.issued_on)
    mail.outbox.clear()

    billing.send_due_reminders(today=invoice.due_on + datetime.timedelta(days=days_from_due))

    assert len(mail.outbox) == 1
    assert invoice.reminders.filter(stage=stage).exists()


def test_a_rerun_sends_nothing_new(invoice):
    day = invoice.due_on
    billing.send_due_reminders(today=day)
    sent = len(mail.outbox)

    billing.send_due_reminders(today=day)

    assert len(mail.outbox) == sent
    assert invoice.reminders.filter(stage=Stage.DUE).count() == 1


def test_a_paid_invoice_gets_no_reminder(invoice):
    billing.record_payment(
        invoice=invoice, amount=Decimal("5000"), paid_on=invoice.issued_on, by=None
    )
    billing.send_due_reminders(today=invoice.due_on)
    assert mail.outbox == []


def test_a_sender_killed_halfway_leaves_the_rest_for_the_next_run(invoice, monkeypatch):
    second = dues_invoice(MemberFactory(name="Bravo Networks"), issued_on=invoice.issued_on)
    ContactFactory(member=second.member, email="admin@bravo.example", is_member_admin=True)
    real_send = reminders.reminder_messages
    sent_before_dying = []

    def dies_on_the_second_invoice(reminder_invoice, stage, recipients):
        if sent_before_dying:
            raise SystemExit("worker killed")
        sent_before_dying.append(reminder_invoice)
        return real_send(reminder_invoice, stage, recipients)

    monkeypatch.setattr(reminders, "reminder_messages", dies_on_the_second_invoice)
    with pytest.raises(SystemExit):
        billing.send_due_reminders(today=invoice.issued_on)
    assert InvoiceReminder.objects.count() == 1
    monkeypatch.undo()

    billing.send_due_reminders(today=invoice.issued_on)

    assert InvoiceReminder.objects.filter(stage=Stage.ISSUED).count() == 2
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "accounts@alpha.example",
        "admin@alpha.example",
        "admin@bravo.example",
    ]


def test_a_reminder_sent_again_by_hand_is_logged_with_who_sent_it(invoice):
    secretariat = UserFactory(is_staff=True)
    reminder = billing.send_reminder_again(invoice=invoice, by=secretariat)

    assert (reminder.stage, reminder.sent_by) == (Stage.BY_HAND, secretariat)
    assert len(mail.outbox) == 1
    billing.send_reminder_again(invoice=invoice, by=secretariat)
    assert invoice.reminders.filter(stage=Stage.BY_HAND).count() == 2


def test_the_daily_command_queues_the_reminders_for_the_worker(invoice, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    call_command("run_dues_cycle", "--date", invoice.issued_on.isoformat(), stdout=None)
    assert invoice.reminders.filter(stage=Stage.ISSUED).exists()
    assert len(mail.outbox) == 1
