"""The register, agreement, representatives and briefing pages are rendered from the cache
(issue 8): a change shows on the next request, viewers with different access never share
what was cached for one of them, and a page read from the cache costs a fixed, small number
of queries however much data there is."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, Commitment, Confidentiality, Council, Review
from members.models import Member
from tests.agreements.factories import AgreementFactory, CommitmentFactory, ReviewFactory
from tests.agreements.factories_briefings import BriefingFactory
from tests.agreements.factories_seats import AppointmentFactory
from tests.members.factories import BoardTermFactory, ContactFactory, UserFactory, activate_totp

pytestmark = pytest.mark.django_db

REGISTER = reverse("agreements:register")
REPRESENTATIVES = reverse("agreements:representatives")
BRIEFINGS = reverse("agreements:briefings")
ISOC = "CANTO-AGR-2015-001"
DAY = datetime.timedelta(days=1)


def visit(client, viewer, url):
    """`url` as `viewer` sees it: a user, or None for an anonymous visitor."""
    client.logout()
    if viewer is not None:
        client.force_login(viewer)
    return client.get(url)


@pytest.fixture
def viewer(request):
    """The user named by the test's `viewer` parameter, created before the test's first
    request (creating it later would change the data and so empty the cache anyway)."""
    return None if request.param == "anonymous" else request.getfixturevalue(request.param)


@pytest.fixture
def board_member_of_a_suspended_member():
    """A board member whose organisation is suspended: the Board's clearance without being a
    member operator, so the same clearance as the Secretariat."""
    contact = ContactFactory(with_login=True, member__status=Member.Status.SUSPENDED)
    BoardTermFactory(contact=contact)
    activate_totp(contact.user)
    return contact.user


def is_login_redirect(response):
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


# Agreement register


def test_register_shows_an_agreement_saved_after_it_was_cached(client, board_user):
    visit(client, board_user, REGISTER)

    AgreementFactory(title="Submarine cable data sharing")

    assert "Submarine cable data sharing" in client.get(REGISTER).text


def test_register_shows_the_next_review_a_recorded_review_sets(client, board_user):
    agreement = AgreementFactory(next_review_on=datetime.date(2020, 1, 1))
    visit(client, board_user, REGISTER)

    services.record_review(
        agreement, board_user, Review.Outcome.NOTED, next_review_on=datetime.date(2099, 1, 31)
    )

    assert "2099-01-31" in client.get(REGISTER).text


@pytest.mark.parametrize("viewer", ["operator_a", "anonymous"], indirect=True)
def test_register_cached_for_the_board_does_not_show_confidential_agreements_to_others(
    client, board_user, viewer
):
    AgreementFactory(confidentiality=Confidentiality.BOARD, title="Board eyes only")
    assert "Board eyes only" in visit(client, board_user, REGISTER).text

    assert "Board eyes only" not in visit(client, viewer, REGISTER).text


@pytest.mark.parametrize("viewer", ["operator_a", "anonymous"], indirect=True)
def test_register_cached_for_others_still_shows_the_board_its_confidential_agreements(
    client, board_user, viewer
):
    AgreementFactory(confidentiality=Confidentiality.BOARD, title="Board eyes only")
    assert "Board eyes only" not in visit(client, viewer, REGISTER).text

    assert "Board eyes only" in visit(client, board_user, REGISTER).text


def test_register_cached_for_an_operator_does_not_show_members_agreements_to_anyone(
    client, operator_a
):
    AgreementFactory(confidentiality=Confidentiality.MEMBERS, title="For members")
    assert "For members" in visit(client, operator_a, REGISTER).text

    assert "For members" not in visit(client, None, REGISTER).text


@pytest.mark.parametrize("viewer", ["board_user", "anonymous"], indirect=True)
def test_register_read_from_the_cache_runs_no_query(client, viewer, django_assert_num_queries):
    AgreementFactory.create_batch(30, confidentiality=Confidentiality.PUBLIC)
    visit(client, viewer, f"{REGISTER}?status=active&page=2")

    # The session, the login, its roles and the listing all come from the cache.
    with django_assert_num_queries(0):
        client.get(f"{REGISTER}?status=active&page=2")


def test_register_ignores_unknown_parameters_when_reading_the_cache(
    client, django_assert_num_queries
):
    client.get(f"{REGISTER}?status=active")

    with django_assert_num_queries(0):
        client.get(f"{REGISTER}?status=active&utm_source=mail&foo=bar")


def test_register_page_that_does_not_exist_is_not_found(client):
    assert client.get(f"{REGISTER}?page=99").status_code == 404


# Agreement page


def test_agreement_page_shows_a_commitment_changed_after_it_was_cached(client, board_user):
    commitment = CommitmentFactory(text="Share traffic statistics")
    url = commitment.agreement.get_absolute_url()
    visit(client, board_user, url)

    commitment.status = Commitment.Status.MET
    commitment.save()

    assert "<td>Met</td>" in client.get(url).text


def test_agreement_page_shows_a_review_recorded_after_it_was_cached(client, board_user):
    agreement = AgreementFactory()
    visit(client, board_user, agreement.get_absolute_url())

    services.record_review(agreement, board_user, Review.Outcome.RENEGOTIATE, "Scope too narrow.")

    assert "Scope too narrow." in client.get(agreement.get_absolute_url()).text


def test_agreement_page_cached_for_the_board_is_hidden_from_others(client, board_user, operator_a):
    url = AgreementFactory(confidentiality=Confidentiality.BOARD).get_absolute_url()
    assert visit(client, board_user, url).status_code == 200

    assert visit(client, operator_a, url).status_code == 404
    assert is_login_redirect(visit(client, None, url))


def test_agreement_page_hidden_from_others_still_opens_for_the_board(
    client, board_user, operator_a
):
    url = AgreementFactory(confidentiality=Confidentiality.BOARD).get_absolute_url()
    assert is_login_redirect(client.get(url))
    assert visit(client, operator_a, url).status_code == 404

    assert visit(client, board_user, url).status_code == 200


def test_public_agreement_page_cached_for_the_board_shows_others_no_reviews(client, board_user):
    agreement = AgreementFactory(confidentiality=Confidentiality.PUBLIC)
    ReviewFactory(agreement=agreement, comments="Board-only comment")
    assert "Board-only comment" in visit(client, board_user, agreement.get_absolute_url()).text

    response = visit(client, None, agreement.get_absolute_url())

    assert "Board-only comment" not in response.text
    assert "Board reviews" not in response.text


def test_public_agreement_page_cached_for_anyone_shows_the_board_its_reviews(client, board_user):
    agreement = AgreementFactory(confidentiality=Confidentiality.PUBLIC)
    ReviewFactory(agreement=agreement, comments="Board-only comment")
    client.get(agreement.get_absolute_url())

    response = visit(client, board_user, agreement.get_absolute_url())

    assert "Board-only comment" in response.text


def test_agreement_page_offers_recording_a_review_only_to_board_members(
    client, secretariat_user, board_member_of_a_suspended_member
):
    # Same clearance, but only the board member may record reviews.
    agreement = AgreementFactory()
    url = agreement.get_absolute_url()
    review_link = reverse("agreements:review", args=[agreement.reference])
    assert review_link not in visit(client, secretariat_user, url).text

    assert review_link in visit(client, board_member_of_a_suspended_member, url).text
    assert review_link not in visit(client, secretariat_user, url).text


def test_agreement_page_read_from_the_cache_runs_no_query(
    client, board_user, django_assert_num_queries
):
    agreement = Agreement.objects.get(reference=ISOC)
    for number in range(6, 30):
        CommitmentFactory(agreement=agreement, number=number)
        ReviewFactory(agreement=agreement)
    visit(client, board_user, agreement.get_absolute_url())

    with django_assert_num_queries(0):
        client.get(agreement.get_absolute_url())


def test_agreement_page_not_found_is_not_cached(client, board_user):
    client.force_login(board_user)
    assert client.get("/agreements/CANTO-AGR-2031-001/").status_code == 404

    AgreementFactory(reference="CANTO-AGR-2031-001")

    assert client.get("/agreements/CANTO-AGR-2031-001/").status_code == 200


# Representatives


@pytest.fixture
def isoc_seat():
    return Council.objects.get(name="ISOC Advisory Council").seats.order_by("label").first()


def test_representatives_show_a_holder_appointed_after_they_were_cached(
    client, operator_a, isoc_seat
):
    visit(client, operator_a, REPRESENTATIVES)

    services.appoint(
        isoc_seat, ContactFactory(name="Nadia Newcomer"), timezone.localdate() - 10 * DAY
    )

    assert "Nadia Newcomer" in client.get(REPRESENTATIVES).text


def test_representatives_cached_for_the_board_show_operators_no_timeline(
    client, board_user, operator_a, isoc_seat
):
    today = timezone.localdate()
    AppointmentFactory(
        seat=isoc_seat,
        contact=ContactFactory(name="Paul Past"),
        starts_on=today - 800 * DAY,
        ends_on=today - 70 * DAY,
    )
    assert "Paul Past" in visit(client, board_user, REPRESENTATIVES).text

    response = visit(client, operator_a, REPRESENTATIVES)

    assert "Paul Past" not in response.text
    assert "seat-timeline" not in response.text


def test_representatives_cached_for_operators_show_the_board_its_timeline(
    client, board_user, operator_a
):
    assert "seat-timeline" not in visit(client, operator_a, REPRESENTATIVES).text

    assert "seat-timeline" in visit(client, board_user, REPRESENTATIVES).text


def test_representatives_cached_for_the_board_still_refuse_a_login_without_a_role(
    client, board_user
):
    visit(client, board_user, REPRESENTATIVES)

    assert visit(client, UserFactory(), REPRESENTATIVES).status_code == 403
    assert is_login_redirect(visit(client, None, REPRESENTATIVES))


@pytest.mark.parametrize("viewer", ["operator_a", "board_user"], indirect=True)
def test_representatives_read_from_the_cache_run_no_query(
    client, viewer, django_assert_num_queries
):
    visit(client, viewer, REPRESENTATIVES)

    with django_assert_num_queries(0):
        client.get(REPRESENTATIVES)


# Briefings


def test_briefings_show_a_briefing_published_after_they_were_cached(client, secretariat_user):
    briefing = BriefingFactory(title="Fresh off the press")
    assert "Fresh off the press" not in client.get(BRIEFINGS).text

    services.publish(briefing, secretariat_user)

    assert "Fresh off the press" in client.get(BRIEFINGS).text


def test_briefings_drop_a_briefing_withdrawn_after_they_were_cached(client, secretariat_user):
    briefing = BriefingFactory(published=True, title="Soon withdrawn")
    assert "Soon withdrawn" in client.get(BRIEFINGS).text

    services.withdraw(briefing, secretariat_user, "Postponed.")

    assert "Soon withdrawn" not in client.get(BRIEFINGS).text


def test_briefings_cached_for_an_operator_show_anyone_no_members_briefing(client, operator_a):
    BriefingFactory(published=True, members=True, title="Members briefing")
    assert "Members briefing" in visit(client, operator_a, BRIEFINGS).text

    assert "Members briefing" not in visit(client, None, BRIEFINGS).text
    assert "Members briefing" not in visit(client, UserFactory(), BRIEFINGS).text


def test_briefings_cached_for_anyone_still_show_an_operator_the_members_briefing(
    client, operator_a
):
    BriefingFactory(published=True, members=True, title="Members briefing")
    assert "Members briefing" not in client.get(BRIEFINGS).text

    assert "Members briefing" in visit(client, operator_a, BRIEFINGS).text


@pytest.mark.parametrize("viewer", ["anonymous", "operator_a"], indirect=True)
def test_briefings_read_from_the_cache_run_no_query(client, viewer, django_assert_num_queries):
    BriefingFactory.create_batch(30, published=True)
    visit(client, viewer, f"{BRIEFINGS}?page=2")

    with django_assert_num_queries(0):
        client.get(f"{BRIEFINGS}?page=2&utm_source=mail")


def test_briefing_page_shows_a_title_changed_after_it_was_cached(client):
    briefing = BriefingFactory(published=True, title="Old title")
    client.get(briefing.get_absolute_url())

    briefing.title = "New title"
    briefing.save()

    response = client.get(briefing.get_absolute_url())
    assert "New title" in response.text and "Old title" not in response.text


def test_briefing_preview_cached_for_the_secretariat_is_hidden_from_others(
    client, secretariat_user, board_user
):
    url = BriefingFactory(title="Draft briefing").get_absolute_url()
    assert "Draft briefing" in visit(client, secretariat_user, url).text

    assert visit(client, board_user, url).status_code == 404
    assert is_login_redirect(visit(client, None, url))


def test_members_briefing_cached_for_an_operator_is_hidden_from_anyone(client, operator_a):
    url = BriefingFactory(published=True, members=True).get_absolute_url()
    assert visit(client, operator_a, url).status_code == 200

    assert is_login_redirect(visit(client, None, url))
    assert visit(client, UserFactory(), url).status_code == 404


def test_members_briefing_hidden_from_anyone_still_opens_for_an_operator(client, operator_a):
    url = BriefingFactory(published=True, members=True).get_absolute_url()
    assert is_login_redirect(client.get(url))

    assert visit(client, operator_a, url).status_code == 200


def test_briefing_page_read_from_the_cache_runs_no_query(client, django_assert_num_queries):
    briefing = BriefingFactory(published=True, body="# A long report\n\n" + "Text. " * 5000)
    client.get(briefing.get_absolute_url())

    with django_assert_num_queries(0):
        response = client.get(briefing.get_absolute_url())

    assert "<h1>A long report</h1>" in response.text
