"""/representatives/: who may see it, what each role sees, the seat timeline with
its vacancies, and a number of queries that does not grow with seats and terms."""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from agreements.models import Clearance, Council, Seat
from agreements.services import representative_seats, seat_timeline, timeline_seats
from canto_portal import versions
from members.models import Member
from tests.agreements.factories_seats import AppointmentFactory, CouncilFactory, SeatFactory
from tests.members.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("agreements:representatives")
DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def isoc_seats():
    council = Council.objects.get(name="ISOC Advisory Council")
    return list(council.seats.order_by("label"))


@pytest.fixture
def held(isoc_seats, today):
    """Principal seat 1 held by Hana Holder since 100 days ago; Principal seat 2 was held by
    Paul Past until 40 days ago and is vacant since."""
    first, second = isoc_seats
    AppointmentFactory(
        seat=second,
        contact=ContactFactory(name="Paul Past"),
        starts_on=today - 770 * DAY,
        ends_on=today - 40 * DAY,
    )
    return AppointmentFactory(
        seat=first,
        contact=ContactFactory(name="Hana Holder", member__name="Holder Telecom"),
        starts_on=today - 100 * DAY,
    )


def page(client, user):
    client.force_login(user)
    return client.get(URL)


# Who may see the page


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_logged_in_user_without_a_role_is_refused(client):
    assert page(client, UserFactory()).status_code == 403


def test_operator_of_a_suspended_member_is_refused(client):
    contact = ContactFactory(with_login=True, member__status=Member.Status.SUSPENDED)
    assert page(client, contact.user).status_code == 403


@pytest.mark.parametrize("role", ["operator_a", "operator_b", "member_admin_a"])
def test_member_operators_see_the_current_holder(client, held, role, request):
    content = page(client, request.getfixturevalue(role)).content.decode()
    assert "Hana Holder" in content and "Holder Telecom" in content


@pytest.mark.parametrize("role", ["operator_a", "operator_b", "member_admin_a"])
def test_member_operators_do_not_see_the_timeline(client, held, role, request):
    response = page(client, request.getfixturevalue(role))
    assert "timeline" not in response.context
    assert "Paul Past" not in response.content.decode()


@pytest.mark.parametrize("role", ["board_user", "secretariat_user"])
def test_board_and_secretariat_see_the_timeline_with_past_holders(client, held, role, request):
    response = page(client, request.getfixturevalue(role))
    content = response.content.decode()
    assert 'aria-labelledby="seat-timeline-title seat-timeline-desc"' in content
    assert "Paul Past" in content


def test_nav_links_to_the_page_for_member_operators(client, operator_a):
    client.force_login(operator_a)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()


def test_nav_has_no_link_for_a_user_without_a_role(client):
    client.force_login(UserFactory())
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


# What the page shows


def test_vacant_seat_is_marked_vacant_in_the_current_list(client, held, operator_a):
    response = page(client, operator_a)
    seats = {seat.label: seat.current_appointments for seat in response.context["seats"]}
    assert seats["Principal seat 2"] == []
    assert "Vacant" in response.content.decode()


def test_timeline_shows_the_vacancy_after_the_last_term(client, held, secretariat_user, today):
    timeline = page(client, secretariat_user).context["timeline"]
    row = next(row for row in timeline.rows if row.seat.label == "Principal seat 2")
    vacancy = row.segments[-1]
    assert vacancy.vacant and vacancy.starts_on == today - 39 * DAY


def test_timeline_draws_the_vacancy_as_a_bar_with_its_text(client, held, secretariat_user, today):
    content = page(client, secretariat_user).content.decode()
    since = date_format(today - 39 * DAY)
    assert f"Principal seat 2: vacant from {since} until filled" in content
    assert 'class="vacant"' in content


def test_timeline_table_lists_the_vacancy(client, held, secretariat_user):
    response = page(client, secretariat_user)
    assert "until filled" in response.content.decode()


def test_term_ending_within_90_days_is_highlighted(client, isoc_seats, board_user, today):
    AppointmentFactory(seat=isoc_seats[0], starts_on=today - 600 * DAY, ends_on=today + 30 * DAY)
    content = page(client, board_user).content.decode()
    assert 'class="term ending-soon"' in content
    assert "ends within 90 days" in content


def test_term_ending_later_is_not_highlighted(client, held, board_user):
    assert 'class="term ending-soon"' not in page(client, board_user).content.decode()


def test_timeline_positions_stay_numbers_with_a_dot_in_spanish(client, held, board_user):
    client.force_login(board_user)
    content = client.get(URL, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    timeline_svg = content[content.index('<figure class="seat-timeline">') :]
    assert re.search(r'x="\d+\.\d+%"', timeline_svg)
    assert not re.search(r"\d,\d+%", timeline_svg)


# Queries: the same number however many seats and terms there are


def more_seats_and_terms(today):
    council = CouncilFactory(granted_principal_seats=3, granted_alternate_seats=0)
    for number in range(3):
        seat = SeatFactory(council=council, label=f"Extra seat {number}")
        AppointmentFactory(seat=seat, starts_on=today - 900 * DAY, ends_on=today - 200 * DAY)
        AppointmentFactory(seat=seat, starts_on=today - 100 * DAY)


def count_queries(client, user):
    """The queries of the page rendered afresh: every cached part renewed, the viewer's
    roles included."""
    client.force_login(user)
    versions.renew()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


# With nothing cached: the session, the user, the roles (the contact; for staff also the
# Secretariat check), seats, current holders and, for the Board and the Secretariat, the
# timeline's terms.
@pytest.mark.parametrize(
    ("role", "expected"),
    [("operator_a", 5), ("board_user", 6), ("secretariat_user", 7)],
)
def test_page_queries_do_not_grow_with_seats_and_terms(
    client, held, role, expected, request, today
):
    user = request.getfixturevalue(role)
    before = count_queries(client, user)
    more_seats_and_terms(today)
    assert (before, count_queries(client, user)) == (expected, expected)


# The pieces other pages reuse


def test_timeline_leaves_out_terms_older_than_its_window(isoc_seats, today):
    AppointmentFactory(seat=isoc_seats[0], starts_on=today.replace(year=today.year - 14))
    recent = AppointmentFactory(seat=isoc_seats[0], starts_on=today - 100 * DAY)
    timeline = seat_timeline(timeline_seats(Seat.objects.filter(pk=isoc_seats[0].pk)), today)
    terms = [segment.appointment for segment in timeline.rows[0].segments if not segment.vacant]
    assert (timeline.starts_on.year, terms) == (today.year - 10, [recent])


def test_current_representatives_include_renders_the_seats_it_is_given(held, today):
    html = render_to_string(
        "agreements/includes/current_representatives.html",
        {
            "seats": representative_seats(
                clearance=Clearance(may_see_register=True, is_member_operator=False),
                today=today,
            )
        },
    )
    assert "Hana Holder" in html and "ISOC Advisory Council" in html
