"""The register, agreement, representatives and briefing pages are rendered from the cache:
a change to what they show shows on the next request, a change to anything else leaves them
cached, viewers with different access never share what was cached for one of them, a page
read from the cache costs no query but the session's and the login's, and only parameters
with a bounded set of values are kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, Commitment, Confidentiality, Council, Review
from members.models import Member
from tests.agreements.factories import AgreementFactory, CommitmentFactory, ReviewFactory
from tests.agreements.factories_briefings import BriefingFactory, topic
from tests.agreements.factories_seats import AppointmentFactory
from tests.cache_contents import stored_keys
from tests.members.factories import BoardTermFactory, ContactFactory, UserFactory, activate_totp
from tests.test_query_budgets import SESSION_AND_LOGIN

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


def login_queries(viewer):
    """What a page read from the cache still asks the database: a logged-in viewer's session
    and login."""
    return 0 if viewer is None else SESSION_AND_LOGIN


def rename_unseen(agreement, **fields):
    """Changes `agreement` without a word to the cache, as no write of the portal does: a page
    that still shows the old values was served from the cache."""
    Agreement._base_manager.filter(pk=agreement.pk).update(**fields)


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
        agreement=agreement,
        reviewer=board_user,
        outcome=Review.Outcome.NOTED,
        next_review_on=datetime.date(2099, 1, 31),
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
def test_register_read_from_the_cache_runs_no_query_but_the_login(
    client, viewer, django_assert_num_queries
):
    AgreementFactory.create_batch(30, confidentiality=Confidentiality.PUBLIC)
    visit(client, viewer, f"{REGISTER}?status=active&page=2")

    # The login's roles and the listing come from the cache.
    with django_assert_num_queries(login_queries(viewer)):
        client.get(f"{REGISTER}?status=active&page=2")


def test_register_ignores_unknown_parameters_when_reading_the_cache(
    client, django_assert_num_queries
):
    client.get(f"{REGISTER}?status=active")

    with django_assert_num_queries(0):
        client.get(f"{REGISTER}?status=active&utm_source=mail&foo=bar")


def test_register_page_that_does_not_exist_is_not_found(client):
    assert client.get(f"{REGISTER}?page=99").status_code == 404


def test_register_stays_cached_when_a_member_is_renamed(client, member_a):
    agreement = AgreementFactory(confidentiality=Confidentiality.PUBLIC, title="Cable landing")
    client.get(REGISTER)
    rename_unseen(agreement, title="Renamed unseen")

    member_a.name = "Renamed Telecom"
    member_a.save()

    assert "Cable landing" in client.get(REGISTER).text


def test_register_shows_an_agreement_renamed_after_it_was_cached(client):
    agreement = AgreementFactory(confidentiality=Confidentiality.PUBLIC, title="Cable landing")
    client.get(REGISTER)

    agreement.title = "Cable landing station"
    agreement.save()

    assert "Cable landing station" in client.get(REGISTER).text


def test_an_anonymous_visitor_sending_600_searches_adds_nothing_to_the_cache(client):
    client.get(f"{REGISTER}?q=warm-up")
    before = stored_keys()

    for number in range(600):
        assert client.get(f"{REGISTER}?q=search-{number}").status_code == 200

    assert stored_keys() == before


def test_a_search_of_the_register_shows_what_matches_the_search(client):
    AgreementFactory(confidentiality=Confidentiality.PUBLIC, title="Submarine cable")
    AgreementFactory(confidentiality=Confidentiality.PUBLIC, title="Spectrum sharing")

    response = client.get(f"{REGISTER}?q=submarine")

    assert "Submarine cable" in response.text
    assert "Spectrum sharing" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "kind=nope",
        "partner=999999",
        "sort=password",
        "expiring=yes-please",
        "status=active&page=01",
        "status=active&page=999999",
    ],
)
def test_register_with_an_unknown_or_respelled_value_adds_nothing_to_the_cache(client, query):
    AgreementFactory.create_batch(2, confidentiality=Confidentiality.PUBLIC)
    client.get(REGISTER)
    before = stored_keys()

    client.get(f"{REGISTER}?{query}")

    assert stored_keys() == before


@pytest.mark.parametrize(
    "query",
    ["status=active", "kind=cooperation", "partner={partner}", "sort=-title", "expiring=on"],
)
def test_register_filtered_by_a_known_value_is_kept(client, query):
    agreement = AgreementFactory(confidentiality=Confidentiality.PUBLIC)
    client.get(REGISTER)
    before = stored_keys()

    client.get(f"{REGISTER}?{query.format(partner=agreement.partners.get().pk)}")

    assert stored_keys() > before


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

    services.record_review(
        agreement=agreement,
        reviewer=board_user,
        outcome=Review.Outcome.RENEGOTIATE,
        comments="Scope too narrow.",
    )

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


def test_agreement_page_read_from_the_cache_runs_no_query_but_the_login(
    client, board_user, django_assert_num_queries
):
    agreement = Agreement.objects.get(reference=ISOC)
    for number in range(6, 30):
        CommitmentFactory(agreement=agreement, number=number)
        ReviewFactory(agreement=agreement)
    visit(client, board_user, agreement.get_absolute_url())

    with django_assert_num_queries(login_queries(board_user)):
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
        seat=isoc_seat,
        contact=ContactFactory(name="Nadia Newcomer"),
        starts_on=timezone.localdate() - 10 * DAY,
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
def test_representatives_read_from_the_cache_run_no_query_but_the_login(
    client, viewer, django_assert_num_queries
):
    visit(client, viewer, REPRESENTATIVES)

    with django_assert_num_queries(login_queries(viewer)):
        client.get(REPRESENTATIVES)


# Briefings


def test_briefings_show_a_briefing_published_after_they_were_cached(client, secretariat_user):
    briefing = BriefingFactory(title="Fresh off the press")
    assert "Fresh off the press" not in client.get(BRIEFINGS).text

    services.publish(briefing=briefing, by=secretariat_user)

    assert "Fresh off the press" in client.get(BRIEFINGS).text


def test_briefings_drop_a_briefing_withdrawn_after_they_were_cached(client, secretariat_user):
    briefing = BriefingFactory(published=True, title="Soon withdrawn")
    assert "Soon withdrawn" in client.get(BRIEFINGS).text

    services.withdraw(briefing=briefing, by=secretariat_user, note="Postponed.")

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
def test_briefings_read_from_the_cache_run_no_query_but_the_login(
    client, viewer, django_assert_num_queries
):
    BriefingFactory.create_batch(30, published=True)
    visit(client, viewer, f"{BRIEFINGS}?page=2")

    with django_assert_num_queries(login_queries(viewer)):
        client.get(f"{BRIEFINGS}?page=2&utm_source=mail")


@pytest.mark.parametrize("query", ["topic=no-such-topic", "topic=Cybersecurity", "page=01"])
def test_briefings_with_an_unknown_or_respelled_value_add_nothing_to_the_cache(client, query):
    BriefingFactory(published=True, topics=[topic("cybersecurity")])
    client.get(BRIEFINGS)
    before = stored_keys()

    assert client.get(f"{BRIEFINGS}?{query}").status_code == 200

    assert stored_keys() == before


def test_briefings_on_a_known_topic_are_kept(client):
    BriefingFactory(published=True, topics=[topic("cybersecurity")])
    client.get(BRIEFINGS)
    before = stored_keys()

    client.get(f"{BRIEFINGS}?topic=cybersecurity")

    assert stored_keys() > before


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
