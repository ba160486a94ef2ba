"""As it was on a day: the agreements in force and who held each seat, from effective dates,
terms and the history simple-history keeps."""

import datetime

import pytest

from agreements.models import Agreement, Confidentiality
from tests.agreements.factories import AgreementFactory
from tests.agreements.factories_seats import AppointmentFactory, SeatFactory
from tests.members.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superseded_history():
    """The 2015 agreement ran until its expiry in 2020 and was then superseded by the next."""
    successor = AgreementFactory(
        reference="CANTO-AGR-2020-101",
        effective_from=datetime.date(2020, 2, 11),
        expires_on=datetime.date(2030, 2, 10),
        confidentiality=Confidentiality.PUBLIC,
    )
    AgreementFactory(
        reference="CANTO-AGR-2015-101",
        status=Agreement.Status.SUPERSEDED,
        superseded_by=successor,
        effective_from=datetime.date(2015, 2, 11),
        expires_on=datetime.date(2020, 2, 10),
        confidentiality=Confidentiality.PUBLIC,
    )


def listed_on(client, day):
    return {a.reference for a in client.get(f"/agreements/?on={day}").context["agreements"]}


def test_the_register_on_a_day_lists_the_agreement_then_in_force(client, superseded_history):
    listed = listed_on(client, "2018-06-01")
    assert "CANTO-AGR-2015-101" in listed and "CANTO-AGR-2020-101" not in listed


def test_the_register_after_the_supersession_lists_the_successor(client, superseded_history):
    listed = listed_on(client, "2022-06-01")
    assert "CANTO-AGR-2020-101" in listed and "CANTO-AGR-2015-101" not in listed


def test_the_register_before_anything_was_in_force_is_empty(client, superseded_history):
    assert not {"CANTO-AGR-2015-101", "CANTO-AGR-2020-101"} & listed_on(client, "2010-01-01")


def test_an_agreement_terminated_early_is_in_force_only_until_its_termination(client):
    agreement = AgreementFactory(
        effective_from=datetime.date(2016, 1, 1),
        expires_on=datetime.date(2026, 1, 1),
        confidentiality=Confidentiality.PUBLIC,
    )
    agreement.status = Agreement.Status.TERMINATED
    agreement.save()
    agreement.history.filter(status=Agreement.Status.TERMINATED).update(
        history_date=datetime.datetime(2019, 3, 1, tzinfo=datetime.UTC)
    )
    assert agreement.reference in listed_on(client, "2018-01-01")
    assert agreement.reference not in listed_on(client, "2020-01-01")


def test_an_invalid_day_is_refused_with_a_clear_message(client, superseded_history):
    response = client.get("/agreements/?on=2018-13-45")
    assert response.status_code == 200
    assert "Give the day as YYYY-MM-DD" in response.text


def test_an_operator_on_a_day_sees_no_board_only_agreement(client, operator_a):
    board_only = AgreementFactory(effective_from=datetime.date(2016, 1, 1))
    client.force_login(operator_a)
    assert board_only.reference not in listed_on(client, "2018-01-01")


@pytest.fixture
def seat_that_changed_hands():
    seat = SeatFactory(label="Principal seat 1")
    first = ContactFactory(name="First Holder")
    second = ContactFactory(name="Second Holder")
    AppointmentFactory(
        seat=seat,
        contact=first,
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 12, 31),
        status="ended",
    )
    AppointmentFactory(
        seat=seat,
        contact=second,
        starts_on=datetime.date(2021, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
        status="ended",
    )
    return seat


@pytest.mark.parametrize(
    ("day", "holder", "other"),
    [
        ("2020-06-01", "First Holder", "Second Holder"),
        ("2021-06-01", "Second Holder", "First Holder"),
    ],
)
def test_representatives_on_a_day_name_who_held_the_seat_then(
    client, board_user, seat_that_changed_hands, day, holder, other
):
    client.force_login(board_user)
    page = client.get(f"/representatives/?on={day}").text
    assert holder in page and other not in page


def test_representatives_on_an_invalid_day_say_so(client, board_user):
    client.force_login(board_user)
    response = client.get("/representatives/?on=yesterday")
    assert response.status_code == 200
    assert "Give the day as YYYY-MM-DD" in response.text
