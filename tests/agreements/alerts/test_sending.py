import datetime

import pytest
from django.core.management import call_command

from agreements.alerts import REGISTER_ALERT_PRODUCERS, Alert, send_alerts, sending
from agreements.alerts.register import expiry_threshold
from agreements.models import Agreement, Commitment, SentAlert
from tests.agreements.factories import AgreementFactory, CommitmentFactory
from tests.members.factories import BoardTermFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def send_register_alerts(today):
    """The register's alerts only: other producers (council seats) have their own tests."""
    return send_alerts(today, producers=REGISTER_ALERT_PRODUCERS)


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _quiet_isoc():
    """The production ISOC agreement is open-ended and never reviewed; keep it out of the way
    of the counts here."""
    Agreement.objects.filter(reference="CANTO-AGR-2015-001").update(status="expired")


@pytest.fixture
def director():
    return BoardTermFactory(
        contact=ContactFactory(email="director@board.example"),
        starts_on=days(-100),
        ends_on=days(600),
    ).contact


@pytest.fixture
def officer():
    return UserFactory(email="officer@canto.example", is_staff=True)


def test_expiry_alert_goes_to_the_responsible_staff_member_and_the_board(
    mailoutbox, director, officer
):
    AgreementFactory(reference="CANTO-AGR-2026-001", expires_on=days(90), responsible=officer)

    send_register_alerts(TODAY)

    assert [message.to for message in mailoutbox] == [
        ["officer@canto.example"],
        ["director@board.example"],
    ]
    assert "CANTO-AGR-2026-001 expires in 90 days" in mailoutbox[0].subject


def test_each_recipient_gets_a_message_that_names_nobody_else(mailoutbox):
    addresses = [ContactFactory(email=f"primary@member{n}.example").email for n in range(3)]
    alert = Alert("test:several-members", "Subject", addresses, "emails/alert_review_overdue")

    sending.send_alert(alert)

    assert sorted(message.to for message in mailoutbox) == sorted([a] for a in addresses)
    for message in mailoutbox:
        raw = message.message().as_bytes().decode().lower()
        others = [address for address in addresses if address not in message.to]
        assert not [address for address in others if address.lower() in raw]
    assert SentAlert.objects.get(key=alert.key).recipients == ", ".join(addresses)


def test_running_twice_the_same_day_sends_nothing_new(mailoutbox, director):
    AgreementFactory(expires_on=days(30))
    CommitmentFactory(due_on=days(-1))
    AgreementFactory(next_review_on=days(-3))

    send_register_alerts(TODAY)
    send_register_alerts(TODAY)

    assert len(mailoutbox) == 3
    assert SentAlert.objects.count() == 3


def test_next_expiry_notice_goes_out_when_the_next_threshold_is_reached(mailoutbox, director):
    AgreementFactory(expires_on=days(90))
    send_register_alerts(TODAY)

    send_register_alerts(TODAY + datetime.timedelta(days=60))

    assert [m.subject.split(" expires in ")[1][:7] for m in mailoutbox] == ["90 days", "30 days"]


def test_days_between_thresholds_send_nothing(mailoutbox, director):
    AgreementFactory(expires_on=days(90))
    send_register_alerts(TODAY)

    send_register_alerts(TODAY + datetime.timedelta(days=1))

    assert len(mailoutbox) == 1


def test_a_late_first_run_sends_only_the_tightest_expiry_notice(mailoutbox, director):
    AgreementFactory(expires_on=days(5))

    send_register_alerts(TODAY)

    assert len(mailoutbox) == 1
    assert "expires in 5 days" in mailoutbox[0].subject
    assert SentAlert.objects.get().key.endswith(":7d")


@pytest.mark.parametrize(
    ("days_left", "threshold"), [(91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (0, 7)]
)
def test_expiry_threshold(days_left, threshold):
    assert expiry_threshold(days_left) == threshold


def test_extended_agreement_gets_new_expiry_alerts(mailoutbox, director):
    agreement = AgreementFactory(expires_on=days(30))
    send_register_alerts(TODAY)
    agreement.expires_on = days(25)
    agreement.save()

    send_register_alerts(TODAY)

    assert len(mailoutbox) == 2


def test_overdue_review_alert_once_per_missed_date(mailoutbox, director):
    agreement = AgreementFactory(reference="CANTO-AGR-2026-002", next_review_on=days(-1))

    send_register_alerts(TODAY)
    send_register_alerts(TODAY + datetime.timedelta(days=1))

    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject.startswith("Board review of CANTO-AGR-2026-002 is overdue")
    assert agreement.get_absolute_url() in mailoutbox[0].body


def test_commitment_past_due_alert(mailoutbox, director):
    CommitmentFactory(number=4, due_on=days(-2), agreement=AgreementFactory())

    send_register_alerts(TODAY)

    assert "Commitment 4 of" in mailoutbox[0].subject


def test_met_commitment_raises_no_alert(mailoutbox, director):
    CommitmentFactory(due_on=days(-2), status=Commitment.Status.MET)

    send_register_alerts(TODAY)

    assert mailoutbox == []


def test_commitment_of_a_terminated_agreement_raises_no_alert(mailoutbox, director):
    CommitmentFactory(due_on=days(-2), agreement=AgreementFactory(status="terminated"))

    send_register_alerts(TODAY)

    assert mailoutbox == []


def test_past_and_non_board_contacts_are_not_told(mailoutbox, director):
    BoardTermFactory(
        contact=ContactFactory(email="former@board.example"),
        starts_on=days(-900),
        ends_on=days(-200),
    )
    ContactFactory(email="operator@member.example")
    AgreementFactory(expires_on=days(7))

    send_register_alerts(TODAY)

    assert mailoutbox[0].to == ["director@board.example"]


def test_alert_email_has_plain_text_and_html(mailoutbox, director):
    AgreementFactory(expires_on=days(7))

    send_register_alerts(TODAY)

    body, mimetype = mailoutbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert "<a href=" in body


def test_failed_send_is_not_recorded_and_retried_next_run(mailoutbox, director, monkeypatch):
    AgreementFactory(expires_on=days(7))

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        assert send_register_alerts(TODAY) == []
    assert not SentAlert.objects.exists()

    send_register_alerts(TODAY)

    assert len(mailoutbox) == 1
    assert SentAlert.objects.count() == 1


def test_one_failing_alert_does_not_stop_the_others(mailoutbox, director, monkeypatch):
    AgreementFactory(expires_on=days(7))
    AgreementFactory(next_review_on=days(-1))
    real_build = sending.build_messages

    def fail_expiry(alert):
        if alert.key.startswith("agreement-expiry"):
            raise ConnectionRefusedError("refused")
        return real_build(alert)

    monkeypatch.setattr(sending, "build_messages", fail_expiry)

    sent = send_register_alerts(TODAY)

    assert [alert.key.split(":")[0] for alert in sent] == ["review-overdue"]


def test_alert_recorded_by_another_run_meanwhile_is_not_sent(mailoutbox):
    alert = Alert("test:raced", "Subject", ["a@example.org"], "emails/alert_review_overdue")
    SentAlert.objects.create(key=alert.key)

    assert sending.send_alert(alert) is False
    assert mailoutbox == []


def test_same_alert_keeps_the_same_message_id():
    alert = Alert("test:key", "Subject", ["a@example.org"], "emails/alert_review_overdue")

    [first] = sending.build_messages(alert)
    [again] = sending.build_messages(alert)

    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]


def test_alert_with_nobody_to_tell_is_not_recorded(mailoutbox):
    AgreementFactory(expires_on=days(7))

    send_register_alerts(TODAY)

    assert mailoutbox == []
    assert not SentAlert.objects.exists()


def test_other_apps_add_producers(mailoutbox, settings):
    def seat_ending(today):
        yield Alert(
            key=f"seat-ending:{today}",
            subject="A seat ends",
            recipients=["chair@board.example"],
            template="emails/alert_review_overdue",
            context={"agreement": Agreement(reference="CANTO-AGR-2026-009"), "url": "x"},
        )

    send_alerts(TODAY, producers=[seat_ending])

    assert mailoutbox[0].subject == "A seat ends"


def test_send_alerts_command_reports_what_it_sent(mailoutbox, director, capsys, monkeypatch):
    monkeypatch.setattr("agreements.alerts.ALERT_PRODUCERS", REGISTER_ALERT_PRODUCERS)
    AgreementFactory(expires_on=days(7))

    call_command("send_alerts", "--date", TODAY.isoformat())
    call_command("send_alerts", "--date", TODAY.isoformat())

    output = capsys.readouterr().out
    assert "1 alerts sent for 2026-06-01." in output
    assert "0 alerts sent for 2026-06-01." in output
    assert len(mailoutbox) == 1
