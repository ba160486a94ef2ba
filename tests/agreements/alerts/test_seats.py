"""send_alerts about council seats: terms ending in 90 and 30 days, seats vacant for
more than 30 days, each alert once."""

import datetime

import pytest
from django.utils.formats import date_format

from agreements.alerts import seats_vacant, send_alerts, terms_ending
from agreements.models import SentAlert
from tests.agreements.factories_seats import AppointmentFactory, SeatFactory
from tests.members.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def seat():
    return SeatFactory(
        label="Principal seat A",
        council__name="Partner Council",
        council__agreement__responsible=UserFactory(email="officer@canto.example"),
    )


def term_ending_in(seat, days):
    return AppointmentFactory(
        seat=seat,
        contact=ContactFactory(name="Tia Term", member__name="Term Telecom"),
        starts_on=TODAY - 600 * DAY,
        ends_on=TODAY + days * DAY,
    )


def vacant_after_term_ended(seat, days_ago):
    return AppointmentFactory(
        seat=seat, starts_on=TODAY - 800 * DAY, ends_on=TODAY - days_ago * DAY
    )


def to_the_officer(mailoutbox):
    """The messages the responsible officer got: each recipient gets their own."""
    return [message for message in mailoutbox if message.to == ["officer@canto.example"]]


def alerts_about(producer, seat, today=TODAY):
    return [alert for alert in producer(today) if seat.label in str(alert.subject_values["seat"])]


# Terms ending


def test_term_ending_in_90_days_gets_the_90_day_notice(seat):
    appointment = term_ending_in(seat, 90)
    [alert] = alerts_about(terms_ending, seat)
    assert alert.key == f"seat-term-ending:{appointment.pk}:{appointment.ends_on}:90d"


def test_term_ending_in_30_days_gets_the_30_day_notice(seat):
    appointment = term_ending_in(seat, 30)
    [alert] = alerts_about(terms_ending, seat)
    assert alert.key == f"seat-term-ending:{appointment.pk}:{appointment.ends_on}:30d"


def test_term_ending_in_more_than_90_days_is_not_alerted(seat):
    term_ending_in(seat, 91)
    assert alerts_about(terms_ending, seat) == []


def test_term_alert_goes_to_the_responsible_officer_and_the_secretariat(seat, secretariat_user):
    term_ending_in(seat, 60)
    [alert] = alerts_about(terms_ending, seat)
    assert alert.recipients == ["officer@canto.example", secretariat_user.email.lower()]


def test_term_alert_email_names_the_holder_and_the_end(seat, secretariat_user, mailoutbox):
    term_ending_in(seat, 60)
    send_alerts(TODAY, producers=[terms_ending])
    [message] = to_the_officer(mailoutbox)
    assert "Tia Term (Term Telecom)" in message.body
    assert "ends in 60 days, on 1 May 2026" in message.body
    assert "<strong>Tia Term</strong>" in message.alternatives[0].content


def test_term_alert_is_sent_once(seat, secretariat_user, mailoutbox):
    term_ending_in(seat, 60)
    send_alerts(TODAY, producers=[terms_ending])
    send_alerts(TODAY + DAY, producers=[terms_ending])
    assert len(to_the_officer(mailoutbox)) == 1


def test_term_gets_the_30_day_notice_after_the_90_day_one(seat, secretariat_user, mailoutbox):
    term_ending_in(seat, 60)
    send_alerts(TODAY, producers=[terms_ending])
    send_alerts(TODAY + 31 * DAY, producers=[terms_ending])
    assert [message.subject for message in to_the_officer(mailoutbox)] == [
        "Tia Term's term on Partner Council: Principal seat A ends in 60 days, on 1 May 2026",
        "Tia Term's term on Partner Council: Principal seat A ends in 29 days, on 1 May 2026",
    ]


# Vacant seats


def test_seat_vacant_for_more_than_30_days_is_alerted(seat):
    vacant_after_term_ended(seat, 32)
    [alert] = alerts_about(seats_vacant, seat)
    assert alert.key == f"seat-vacant:{seat.pk}:{TODAY - 31 * DAY}"


def test_seat_vacant_for_30_days_is_not_alerted_yet(seat):
    vacant_after_term_ended(seat, 31)
    assert alerts_about(seats_vacant, seat) == []


def test_held_seat_is_not_alerted(seat):
    term_ending_in(seat, 200)
    assert alerts_about(seats_vacant, seat) == []


def test_vacancy_alert_is_sent_once(seat, secretariat_user, mailoutbox):
    vacant_after_term_ended(seat, 40)
    send_alerts(TODAY, producers=[seats_vacant])
    send_alerts(TODAY + 7 * DAY, producers=[seats_vacant])
    assert [message.subject for message in to_the_officer(mailoutbox)] == [
        f"Partner Council: Principal seat A has been vacant since {date_format(TODAY - 39 * DAY)}"
    ]


def test_a_later_vacancy_of_the_same_seat_is_alerted_again(seat, secretariat_user):
    vacant_after_term_ended(seat, 500)
    send_alerts(TODAY - 400 * DAY, producers=[seats_vacant])
    AppointmentFactory(seat=seat, starts_on=TODAY - 350 * DAY, ends_on=TODAY - 40 * DAY)
    send_alerts(TODAY, producers=[seats_vacant])
    keys = SentAlert.objects.filter(key__startswith=f"seat-vacant:{seat.pk}:")
    assert keys.count() == 2


def test_vacancy_email_names_the_seat_and_its_agreement(seat, secretariat_user, mailoutbox):
    vacant_after_term_ended(seat, 40)
    send_alerts(TODAY, producers=[seats_vacant])
    [message] = to_the_officer(mailoutbox)
    assert "Partner Council, Principal seat A, has been vacant for 39 days" in message.body
    assert seat.council.agreement.reference in message.alternatives[0].content


def test_daily_run_includes_the_seat_alerts(seat, secretariat_user):
    term_ending_in(seat, 60)
    send_alerts(TODAY)
    assert SentAlert.objects.filter(key__startswith="seat-term-ending:").exists()
