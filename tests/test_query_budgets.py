"""Query budgets, page by page: each page the benchmark drives, rendered afresh, runs a fixed
number of queries, at most 15, and the same number when the data grows tenfold; seen again,
it reads everything it shows from the cache, and runs no query but the session's and the
login's."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Appointment, Briefing, Seat
from canto_portal import versions
from tests.agreements.factories import AgreementFactory, CommitmentFactory, ReviewFactory
from tests.agreements.factories_briefings import BriefingFactory
from tests.members.factories import ContactFactory, DuesFactory, MemberFactory

pytestmark = pytest.mark.django_db

BUDGET = 15
# A logged-in request reads its session and its login from the database: the shared cache
# holds neither, because both carry the login's secrets.
SESSION_AND_LOGIN = 2


PAGES = [
    ("home", "/", None),
    ("directory", "/members/", "operator_a"),
    ("directory filtered", "/members/?country=JM&category={category}", "operator_a"),
    ("member profile", "/members/{member_b}/", "operator_a"),
    ("member dashboard", "/portal/", "member_admin_a"),
    ("register filtered", "/agreements/?status=active", "board_user"),
    ("agreement page", "/agreements/CANTO-AGR-2015-001/", "board_user"),
    ("representatives", "/representatives/", "board_user"),
    ("briefings", "/briefings/", None),
    ("briefing page", "/briefings/{briefing}/", None),
    ("admin member list", "/admin/members/member/", "secretariat_user"),
]


def grow(scale, reviewer):
    """`scale` more of everything a page lists or counts."""
    today = timezone.localdate()
    isoc = AgreementFactory._meta.model.objects.get(reference="CANTO-AGR-2015-001")
    for _ in range(scale):
        member = MemberFactory(country="JM")
        ContactFactory.create_batch(2, member=member)
        DuesFactory(member=member, year=2025)
        agreement = AgreementFactory()
        CommitmentFactory.create_batch(2, agreement=agreement)
        ReviewFactory(agreement=agreement, reviewer=reviewer)
        # One review a day: a reviewer reviews an agreement at most once on a day.
        reviewed_on = today - datetime.timedelta(days=isoc.reviews.count())
        ReviewFactory(agreement=isoc, reviewer=reviewer, reviewed_on=reviewed_on)
        BriefingFactory(published=True)
    first = isoc.commitments.count() + 1
    for number in range(first, first + scale):
        CommitmentFactory(agreement=isoc, number=number)
    isoc.summary += " Revised."
    isoc.save()
    seat = Seat.objects.filter(council__name="ISOC Advisory Council").first()
    last = Appointment.objects.filter(seat=seat).order_by("-ends_on").first()
    starts = last.ends_on + datetime.timedelta(days=1) if last else today.replace(year=2000)
    for _ in range(scale):
        contact = ContactFactory()
        Appointment.objects.create(
            seat=seat,
            contact=contact,
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=30),
            status=Appointment.Status.ENDED,
        )
        starts += datetime.timedelta(days=31)


def count(client, url, afresh=False):
    if afresh:
        # Everything the page shows, the viewer's roles and permissions included.
        versions.renew()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.fixture(params=PAGES, ids=[p[0] for p in PAGES])
def page(request, client, member_a, member_b):
    """Each page's address, with `client` logged in as the role that uses it, and whether it
    is logged in."""
    _page, path, role = request.param
    if role:
        client.force_login(request.getfixturevalue(role))
    return bool(role), path.format(
        category=member_a.category.pk,
        member_b=member_b.slug,
        briefing=BriefingFactory(published=True).slug,
    )


def test_page_stays_within_budget_as_data_grows_tenfold(client, page, board_user):
    _logged_in, url = page
    grow(3, board_user)
    small = count(client, url, afresh=True)
    grow(27, board_user)
    large = count(client, url, afresh=True)

    assert small <= BUDGET
    assert large == small
    assert Briefing.objects.count() > 30


def test_page_seen_again_reads_from_the_cache(client, page, board_user):
    logged_in, url = page
    grow(3, board_user)
    count(client, url)

    # Its fragments, the login's roles and permissions all come from the cache.
    assert count(client, url) == (SESSION_AND_LOGIN if logged_in else 0)


# Pages that count or search afresh on every view (free text is never cached, and the
# counts are few): within the budget, and the same number when the data grows tenfold.
COUNTING_PAGES = [
    ("board attention", "/board/", "board_user"),
    ("board pictures", "/board/charts/", "board_user"),
    ("secretariat dashboard", "/admin/", "secretariat_user"),
    ("secretariat dashboard as of a day", "/admin/?on=2020-01-15", "secretariat_user"),
    ("register as of a day", "/agreements/?on=2020-01-15", "board_user"),
    ("representatives as of a day", "/representatives/?on=2020-01-15", "board_user"),
    ("search", "/search/?q=cooperation+agreement", "board_user"),
]


@pytest.mark.parametrize(
    ("url", "role"), [p[1:] for p in COUNTING_PAGES], ids=[p[0] for p in COUNTING_PAGES]
)
def test_counting_page_stays_within_budget_as_data_grows_tenfold(
    request, client, board_user, url, role
):
    client.force_login(request.getfixturevalue(role))
    grow(3, board_user)
    small = count(client, url, afresh=True)
    grow(27, board_user)
    large = count(client, url, afresh=True)

    assert small <= BUDGET
    assert large == small
