"""The rules of council seats: model validation, agreements.services.appoint and
the admin that shows their messages. They run on SQLite and PostgreSQL alike; the tests of
the PostgreSQL exclusion constraint itself skip elsewhere."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from agreements.demo.seats import seed_councils
from agreements.models import Appointment, Council, Seat, add_months
from agreements.services import appoint
from members.models import Contact, Dues, Member
from tests.agreements.factories_seats import AppointmentFactory, CouncilFactory, SeatFactory
from tests.members.factories import ContactFactory, DuesFactory

pytestmark = pytest.mark.django_db

D = datetime.date
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The exclusion constraint appointment_no_overlap_per_seat exists on PostgreSQL only.",
)


@pytest.fixture
def seat():
    return SeatFactory(label="Principal seat A")


@pytest.fixture
def holder(seat):
    """Ana Holder holds the seat from 1 May 2025 to 30 April 2027."""
    return AppointmentFactory(
        seat=seat,
        contact=ContactFactory(name="Ana Holder", member__name="Holder Telecom"),
        starts_on=D(2025, 5, 1),
        ends_on=D(2027, 4, 30),
    )


def messages_of(error):
    return " ".join(error.value.messages)


def isoc_council():
    return Council.objects.get(name="ISOC Advisory Council")


# No two appointments of one seat overlap


def test_overlapping_term_is_refused_naming_the_holder_and_dates(seat, holder):
    with pytest.raises(ValidationError) as error:
        appoint(
            seat=seat, contact=ContactFactory(), starts_on=D(2026, 1, 1), ends_on=D(2027, 12, 31)
        )
    assert "Ana Holder (Holder Telecom) from 2025-05-01 to 2027-04-30" in messages_of(error)


def test_term_starting_on_the_day_the_other_ends_overlaps(seat, holder):
    with pytest.raises(ValidationError, match="already held by Ana Holder"):
        appoint(seat=seat, contact=ContactFactory(), starts_on=D(2027, 4, 30))


def test_term_starting_the_day_after_the_other_ends_is_allowed(seat, holder):
    appointment = appoint(seat=seat, contact=ContactFactory(), starts_on=D(2027, 5, 1))
    assert appointment.pk is not None


def test_withdrawn_appointment_leaves_the_seat_free(seat, holder):
    holder.status = Appointment.Status.WITHDRAWN
    holder.save()
    assert appoint(seat=seat, contact=ContactFactory(), starts_on=D(2025, 5, 1)).pk is not None


def test_refused_appointment_saves_nothing(seat, holder):
    with pytest.raises(ValidationError):
        appoint(seat=seat, contact=ContactFactory(), starts_on=D(2026, 1, 1))
    assert Appointment.objects.filter(seat=seat).count() == 1


def test_another_seat_of_the_council_may_be_held_at_the_same_time(seat, holder):
    other_seat = SeatFactory(council=seat.council)
    assert (
        appoint(seat=other_seat, contact=ContactFactory(), starts_on=D(2025, 5, 1)).pk is not None
    )


@postgresql_only
def test_database_refuses_an_overlap_that_skips_validation(seat, holder):
    with (
        pytest.raises(IntegrityError, match="appointment_no_overlap_per_seat"),
        transaction.atomic(),
    ):
        Appointment.objects.create(
            seat=seat, contact=ContactFactory(), starts_on=D(2026, 1, 1), ends_on=D(2026, 6, 30)
        )


@postgresql_only
def test_appoint_turns_the_database_refusal_into_a_message_naming_the_holder(
    seat, holder, monkeypatch
):
    # As if the check in code had missed a concurrent appointment: only the database stops it.
    monkeypatch.setattr(Appointment, "clean", lambda self: None)
    with pytest.raises(ValidationError) as error:
        appoint(seat=seat, contact=ContactFactory(), starts_on=D(2026, 1, 1))
    assert "Ana Holder (Holder Telecom) from 2025-05-01 to 2027-04-30" in messages_of(error)


# A council has no more seats of a kind than its agreement grants


def test_third_principal_seat_on_the_isoc_council_is_refused_naming_the_seats():
    seat = Seat(council=isoc_council(), kind=Seat.Kind.PRINCIPAL, label="Principal seat 3")
    with pytest.raises(ValidationError) as error:
        seat.full_clean()
    assert "grants ISOC Advisory Council 2 principal seats" in messages_of(error)
    assert "Principal seat 1, Principal seat 2" in messages_of(error)


def test_alternate_seat_is_refused_when_the_agreement_grants_none():
    seat = Seat(council=isoc_council(), kind=Seat.Kind.ALTERNATE, label="Alternate")
    with pytest.raises(ValidationError, match="0 alternate seats"):
        seat.full_clean()


def test_seat_within_the_grant_is_accepted():
    council = CouncilFactory(granted_principal_seats=2)
    SeatFactory(council=council)
    second = Seat(council=council, kind=Seat.Kind.PRINCIPAL, label="Second")
    second.full_clean()
    second.save()

    assert council.seats.filter(kind=Seat.Kind.PRINCIPAL).count() == 2


def test_lowering_the_grant_below_the_existing_seats_is_refused():
    council = isoc_council()
    council.granted_principal_seats = 1
    with pytest.raises(ValidationError) as error:
        council.full_clean()
    assert error.value.message_dict["granted_principal_seats"] == [
        "ISOC Advisory Council has 2 principal seats (Principal seat 1, Principal seat 2): "
        "remove seats before lowering the grant to 1."
    ]


# No one serves more consecutive terms than the council allows (two by default)


@pytest.fixture
def two_terms(seat):
    """Bo Twice served two consecutive terms, May 2021 to April 2025."""
    contact = ContactFactory(name="Bo Twice")
    AppointmentFactory(seat=seat, contact=contact, starts_on=D(2021, 5, 1))
    AppointmentFactory(seat=seat, contact=contact, starts_on=D(2023, 5, 1))
    return contact


def test_third_consecutive_term_is_refused_naming_the_terms(seat, two_terms):
    with pytest.raises(ValidationError) as error:
        appoint(seat=seat, contact=two_terms, starts_on=D(2025, 5, 1))
    assert error.value.message_dict["contact"] == [
        f"Bo Twice would serve 3 consecutive terms on {seat.council.name}, which allows 2: "
        "2021-05-01 – 2023-04-30; 2023-05-01 – 2025-04-30; 2025-05-01 – 2027-04-30."
    ]


def test_one_day_between_terms_still_counts_as_consecutive(seat, two_terms):
    with pytest.raises(ValidationError, match="3 consecutive terms"):
        appoint(seat=seat, contact=two_terms, starts_on=D(2025, 5, 2))


def test_two_days_between_terms_start_a_new_run(seat, two_terms):
    assert appoint(seat=seat, contact=two_terms, starts_on=D(2025, 5, 3)).pk is not None


def test_consecutive_terms_count_across_the_councils_seats(seat, two_terms):
    other_seat = SeatFactory(council=seat.council)
    with pytest.raises(ValidationError, match="3 consecutive terms"):
        appoint(seat=other_seat, contact=two_terms, starts_on=D(2025, 5, 1))


def test_terms_on_another_council_do_not_count(seat, two_terms):
    assert appoint(seat=SeatFactory(), contact=two_terms, starts_on=D(2025, 5, 1)).pk is not None


def test_one_person_cannot_hold_two_seats_of_a_council_at_once(seat, holder):
    other_seat = SeatFactory(council=seat.council)
    with pytest.raises(ValidationError, match="Ana Holder already holds Principal seat A"):
        appoint(seat=other_seat, contact=holder.contact, starts_on=D(2026, 1, 1))


# The appointee is a contact of a member in good standing at the start of the term


def test_appointee_of_a_lapsed_member_is_refused(seat):
    contact = ContactFactory(name="Lee Lapsed", member__name="Lapsed Cable")
    Member.objects.filter(pk=contact.member_id).update(status=Member.Status.LAPSED)
    with pytest.raises(ValidationError) as error:
        appoint(seat=seat, contact=contact, starts_on=D(2026, 1, 1))
    assert error.value.message_dict["contact"] == [
        "Lee Lapsed cannot take a term starting on 2026-01-01: Lapsed Cable is not in good "
        "standing (its membership is lapsed)."
    ]


def test_appointee_of_a_member_with_overdue_dues_is_refused(seat):
    contact = ContactFactory()
    DuesFactory(member=contact.member, year=2025, status=Dues.Status.OVERDUE)
    with pytest.raises(ValidationError, match="it has overdue dues"):
        appoint(seat=seat, contact=contact, starts_on=D(2026, 1, 1))


def test_standing_is_not_judged_again_when_a_past_term_is_edited(holder):
    # The member lapsed after the appointment was made; closing the record must still work.
    Member.objects.filter(pk=holder.contact.member_id).update(status=Member.Status.LAPSED)
    appointment = Appointment.objects.get(pk=holder.pk)
    appointment.status = Appointment.Status.ENDED
    appointment.full_clean()
    appointment.save()

    assert Appointment.objects.get(pk=holder.pk).status == Appointment.Status.ENDED


def test_standing_is_judged_again_when_the_appointee_changes(holder):
    lapsed = ContactFactory(member__status=Member.Status.LAPSED)
    appointment = Appointment.objects.get(pk=holder.pk)
    appointment.contact = lapsed
    with pytest.raises(ValidationError, match="not in good standing"):
        appointment.full_clean()


# A term ends after it starts


def test_end_before_start_is_refused_naming_both_dates(seat):
    with pytest.raises(ValidationError) as error:
        appoint(
            seat=seat, contact=ContactFactory(), starts_on=D(2026, 5, 1), ends_on=D(2026, 4, 30)
        )
    assert error.value.message_dict["ends_on"] == [
        "The term cannot end on 2026-04-30: that is not after its start on 2026-05-01."
    ]


def test_database_refuses_an_end_before_the_start(seat):
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(seat=seat, starts_on=D(2026, 5, 1), ends_on=D(2026, 4, 30))


# appoint() and the terms


def test_appoint_ends_a_term_after_the_councils_term_length(seat):
    appointment = appoint(seat=seat, contact=ContactFactory(), starts_on=D(2025, 5, 1))
    assert appointment.ends_on == D(2027, 4, 30)


def test_appoint_makes_a_started_term_active(seat):
    assert (
        appoint(seat=seat, contact=ContactFactory(), starts_on=D(2025, 5, 1)).status
        == Appointment.Status.ACTIVE
    )


def test_appoint_makes_a_future_term_nominated(seat):
    starts_on = timezone.localdate() + datetime.timedelta(days=40)
    assert (
        appoint(seat=seat, contact=ContactFactory(), starts_on=starts_on).status
        == Appointment.Status.NOMINATED
    )


def test_add_months_keeps_to_the_last_day_of_a_shorter_month():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_add_months_goes_back_across_a_year():
    assert add_months(D(2025, 2, 15), -24) == D(2023, 2, 15)


# QuerySets


def test_current_appointments_exclude_ended_and_withdrawn(seat):
    today = D(2026, 1, 10)
    current = AppointmentFactory(seat=seat, starts_on=D(2025, 5, 1))
    AppointmentFactory(starts_on=D(2025, 5, 1), status=Appointment.Status.WITHDRAWN)
    AppointmentFactory(starts_on=D(2022, 5, 1), status=Appointment.Status.ENDED)
    assert list(Appointment.objects.current(today)) == [current]


def test_ending_within_takes_terms_ending_in_the_period(seat):
    today = D(2027, 2, 1)
    ending = AppointmentFactory(seat=seat, starts_on=D(2025, 5, 1))
    AppointmentFactory(starts_on=D(2026, 5, 1))
    assert list(Appointment.objects.ending_within(90, today)) == [ending]


def test_vacant_seats_are_those_nobody_holds_today(seat, holder):
    empty = SeatFactory(council=seat.council)
    assert list(Seat.objects.filter(council=seat.council).vacant(D(2026, 1, 1))) == [empty]


def test_vacancy_starts_the_day_after_the_last_term_ended(seat, holder):
    found = Seat.objects.with_current_appointments(D(2027, 6, 1)).with_last_held_until(
        D(2027, 6, 1)
    )
    assert found.get(pk=seat.pk).vacant_since() == D(2027, 5, 1)


def test_a_seat_never_held_is_vacant_since_its_agreement_took_effect():
    seat = SeatFactory(council__agreement__effective_from=D(2024, 3, 1))
    found = Seat.objects.with_current_appointments().with_last_held_until().get(pk=seat.pk)
    assert found.vacant_since() == D(2024, 3, 1)


# Admin: the Secretariat sees the same messages


@pytest.fixture
def admin_client(client, secretariat_user):
    secretariat_user.is_superuser = True
    secretariat_user.save()
    client.force_login(secretariat_user)
    return client


def test_admin_refuses_an_overlapping_appointment_with_the_message(admin_client, seat, holder):
    response = admin_client.post(
        reverse("admin:agreements_appointment_add"),
        {
            "seat": seat.pk,
            "contact": ContactFactory().pk,
            "starts_on": "2026-01-01",
            "ends_on": "",
            "status": "active",
            "decision": "",
        },
    )
    assert response.status_code == 200
    assert "already held by Ana Holder (Holder Telecom) from 2025-05-01 to 2027-04-30" in (
        response.content.decode()
    )


def test_admin_fills_in_a_full_term_when_the_end_is_left_empty(admin_client, seat):
    admin_client.post(
        reverse("admin:agreements_appointment_add"),
        {
            "seat": seat.pk,
            "contact": ContactFactory().pk,
            "starts_on": "2025-05-01",
            "ends_on": "",
            "status": "active",
            "decision": "",
        },
    )
    assert Appointment.objects.get(seat=seat).ends_on == D(2027, 4, 30)


def test_admin_refuses_two_new_seats_beyond_the_grant_in_one_form(admin_client):
    council = CouncilFactory(granted_principal_seats=1, granted_alternate_seats=0)
    data = {
        "name": council.name,
        "partner": council.partner.pk,
        "agreement": council.agreement.pk,
        "granted_principal_seats": 1,
        "granted_alternate_seats": 0,
        "term_months": 24,
        "max_consecutive_terms": 2,
        "description": "",
        "seats-TOTAL_FORMS": 2,
        "seats-INITIAL_FORMS": 0,
        "seats-0-kind": "principal",
        "seats-0-label": "One",
        "seats-1-kind": "principal",
        "seats-1-label": "Two",
    }
    response = admin_client.post(
        reverse("admin:agreements_council_change", args=[council.pk]), data
    )
    assert "is granted 1 principal seats; this form has 2." in response.content.decode()
    assert not council.seats.exists()


def changelist(admin_client, url, query):
    return admin_client.get(f"{reverse(url)}?{query}").context["cl"].result_list


def test_admin_current_filter_lists_only_current_appointments(admin_client, seat):
    today = timezone.localdate()
    current = AppointmentFactory(seat=seat, starts_on=today - datetime.timedelta(days=10))
    AppointmentFactory(seat=seat, starts_on=D(2019, 5, 1), status=Appointment.Status.ENDED)
    results = changelist(admin_client, "admin:agreements_appointment_changelist", "term=current")
    assert list(results) == [current]


def test_admin_ending_filter_lists_terms_ending_within_90_days(admin_client, seat):
    today = timezone.localdate()
    ending = AppointmentFactory(
        seat=seat,
        starts_on=today - datetime.timedelta(days=600),
        ends_on=today + datetime.timedelta(days=80),
    )
    AppointmentFactory(starts_on=today - datetime.timedelta(days=10))
    results = changelist(admin_client, "admin:agreements_appointment_changelist", "term=ending")
    assert list(results) == [ending]


def test_admin_vacant_filter_lists_seats_nobody_holds_today(admin_client, seat):
    AppointmentFactory(seat=seat, starts_on=timezone.localdate() - datetime.timedelta(days=10))
    empty = SeatFactory(council=seat.council)
    results = changelist(admin_client, "admin:agreements_seat_changelist", "occupancy=vacant")
    assert empty in results and seat not in results


# Demo data (seed_demo)


@pytest.fixture
def demo_council():
    for _ in range(6):
        ContactFactory(role=Contact.Role.PRIMARY)
    seed_councils(timezone.localdate())
    return isoc_council()


def test_demo_fills_both_principal_seats_of_the_isoc_council(demo_council):
    held = Seat.objects.filter(council=demo_council).exclude(
        pk__in=Seat.objects.vacant().values("pk")
    )
    assert sorted(held.values_list("label", flat=True)) == ["Principal seat 1", "Principal seat 2"]


def test_demo_leaves_an_alternate_seat_vacant(demo_council):
    vacant = Seat.objects.filter(council=demo_council).vacant()
    assert list(vacant.values_list("kind", flat=True)) == [Seat.Kind.ALTERNATE]


def test_demo_keeps_a_history_of_ended_terms(demo_council):
    ended = Appointment.objects.filter(seat__council=demo_council, status=Appointment.Status.ENDED)
    assert ended.count() == 5


def test_demo_run_again_adds_nothing(demo_council):
    before = Appointment.objects.count(), Seat.objects.count()
    seed_councils(timezone.localdate())
    assert (Appointment.objects.count(), Seat.objects.count()) == before
