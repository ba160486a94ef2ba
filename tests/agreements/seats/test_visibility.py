"""Who sees which councils, seats and holders: a council and everything on it only by those
who may see the agreement granting it, and a nominee whose term has not begun only by the
Board and the Secretariat, today and on any day asked for with ?on=."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Appointment, Confidentiality, Council
from tests.agreements.factories import AgreementFactory
from tests.agreements.factories_seats import AppointmentFactory, CouncilFactory, SeatFactory
from tests.members.factories import BoardTermFactory, ContactFactory

pytestmark = pytest.mark.django_db

URL = reverse("agreements:representatives")
DAY = datetime.timedelta(days=1)
TODAY, PAST, FUTURE = "today", "past", "future"

# What each name on the page stands for.
BOARD_ONLY_COUNCIL = "Confidential Council"
BOARD_ONLY_HOLDER = "Carla Confidential"
MEMBERS_COUNCIL = "Members Council"
MEMBERS_HOLDER = "Mona Members"
NOMINEE = "Nina Nominee"


@pytest.fixture
def today():
    return timezone.localdate()


def council_granted_by(confidentiality, name, holder, today):
    council = CouncilFactory(name=name, agreement=AgreementFactory(confidentiality=confidentiality))
    AppointmentFactory(
        seat=SeatFactory(council=council, label=f"{name} seat"),
        contact=ContactFactory(name=holder),
        starts_on=today - 200 * DAY,
    )


@pytest.fixture
def councils(today):
    """A council granted by a board-only agreement and one by a members' agreement, each held
    since 200 days ago; on the public ISOC council a nominee whose term starts in 60 days."""
    council_granted_by(Confidentiality.BOARD, BOARD_ONLY_COUNCIL, BOARD_ONLY_HOLDER, today)
    council_granted_by(Confidentiality.MEMBERS, MEMBERS_COUNCIL, MEMBERS_HOLDER, today)
    AppointmentFactory(
        seat=Council.objects.get(name="ISOC Advisory Council").seats.first(),
        contact=ContactFactory(name=NOMINEE),
        starts_on=today + 60 * DAY,
        status=Appointment.Status.NOMINATED,
    )


@pytest.fixture
def former_director(today):
    """A contact of an active member whose board term ended yesterday."""
    contact = ContactFactory(with_login=True)
    BoardTermFactory(contact=contact, starts_on=today - 800 * DAY, ends_on=today - DAY)
    return contact.user


def page(client, user, day, today):
    client.force_login(user)
    on = {PAST: today - 100 * DAY, FUTURE: today + 90 * DAY}.get(day)
    response = client.get(URL, {"on": on.isoformat()} if on else {})
    assert response.status_code == 200
    return response.content.decode()


MEMBER_VIEWERS = ["operator_a", "member_admin_a", "former_director"]
BOARD_VIEWERS = ["board_user", "secretariat_user"]
EVERY_DAY = [TODAY, PAST, FUTURE]


@pytest.mark.parametrize("day", EVERY_DAY)
@pytest.mark.parametrize("role", MEMBER_VIEWERS)
def test_a_council_granted_by_a_board_only_agreement_is_hidden_from_members(
    client, councils, role, day, request, today
):
    content = page(client, request.getfixturevalue(role), day, today)
    assert BOARD_ONLY_COUNCIL not in content and BOARD_ONLY_HOLDER not in content
    assert MEMBERS_COUNCIL in content and MEMBERS_HOLDER in content


@pytest.mark.parametrize("day", EVERY_DAY)
@pytest.mark.parametrize("role", BOARD_VIEWERS)
def test_the_board_and_the_secretariat_see_every_council(
    client, councils, role, day, request, today
):
    content = page(client, request.getfixturevalue(role), day, today)
    assert BOARD_ONLY_COUNCIL in content and BOARD_ONLY_HOLDER in content
    assert MEMBERS_COUNCIL in content


@pytest.mark.parametrize("role", MEMBER_VIEWERS)
def test_a_nominee_is_hidden_from_members_on_a_day_after_the_term_starts(
    client, councils, role, request, today
):
    assert NOMINEE not in page(client, request.getfixturevalue(role), FUTURE, today)


@pytest.mark.parametrize("role", BOARD_VIEWERS)
def test_the_board_and_the_secretariat_see_a_nominee_on_a_day_after_the_term_starts(
    client, councils, role, request, today
):
    assert NOMINEE in page(client, request.getfixturevalue(role), FUTURE, today)


def test_an_anonymous_visitor_is_sent_to_log_in_on_any_day(client, councils, today):
    response = client.get(URL, {"on": (today + 90 * DAY).isoformat()})
    assert response.status_code == 302
    assert BOARD_ONLY_COUNCIL not in response.content.decode()


def test_the_member_portal_names_only_the_councils_its_viewer_may_see(
    client, councils, member_admin_a
):
    client.force_login(member_admin_a)
    content = client.get(reverse("members:portal")).content.decode()
    assert MEMBERS_COUNCIL in content
    assert BOARD_ONLY_COUNCIL not in content and BOARD_ONLY_HOLDER not in content


def test_the_member_portal_names_every_council_to_a_director(client, councils, board_user):
    client.force_login(board_user)
    content = client.get(reverse("members:portal")).content.decode()
    assert BOARD_ONLY_COUNCIL in content and BOARD_ONLY_HOLDER in content


def test_terms_ending_on_a_board_only_council_are_not_named_on_the_member_portal(
    client, member_a, member_admin_a, today
):
    council = CouncilFactory(name=BOARD_ONLY_COUNCIL)
    AppointmentFactory(
        seat=SeatFactory(council=council),
        contact=ContactFactory(member=member_a, name=BOARD_ONLY_HOLDER),
        starts_on=today - 700 * DAY,
        ends_on=today + 30 * DAY,
    )
    client.force_login(member_admin_a)
    content = client.get(reverse("members:portal")).content.decode()
    assert BOARD_ONLY_COUNCIL not in content
