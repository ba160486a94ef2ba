"""/briefings/, /briefings/<slug>/ and the home page's latest briefings, per role."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.agreements.factories_briefings import BriefingFactory, topic
from tests.agreements.register.test_pages import count_queries
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("agreements:briefings")
MEMBER_ROLES = ["operator_a", "operator_b", "member_admin_a", "board_user", "secretariat_user"]
ROLES = ["anonymous", *MEMBER_ROLES]


@pytest.fixture
def public():
    return BriefingFactory(published=True, title="Public briefing")


@pytest.fixture
def members_only():
    return BriefingFactory(published=True, members=True, title="Members briefing")


@pytest.fixture
def draft():
    return BriefingFactory(title="Draft briefing")


def titles(response):
    return [briefing.title for briefing in response.context["briefings"]]


def test_anyone_sees_public_published_briefings_only(client, public, members_only, draft):
    assert titles(client.get(LIST_URL)) == ["Public briefing"]


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_members_see_members_briefings_too(role_client, role, public, members_only, draft):
    assert sorted(titles(role_client.get(LIST_URL))) == ["Members briefing", "Public briefing"]


def test_a_login_that_is_no_member_sees_public_briefings_only(client, public, members_only):
    client.force_login(UserFactory())

    assert titles(client.get(LIST_URL)) == ["Public briefing"]


def test_withdrawn_briefings_are_not_listed(client, public):
    BriefingFactory(published=True, status="withdrawn", title="Withdrawn")

    assert titles(client.get(LIST_URL)) == ["Public briefing"]


def test_the_list_filters_by_topic(client):
    BriefingFactory(published=True, title="On spam", topics=[topic("spam")])
    BriefingFactory(published=True, title="On VoIP", topics=[topic("voip-blocking")])

    assert titles(client.get(LIST_URL, {"topic": "spam"})) == ["On spam"]


def test_an_unknown_topic_is_ignored(client, public):
    assert titles(client.get(LIST_URL, {"topic": "no-such-topic"})) == ["Public briefing"]


def test_the_list_pages_by_ten_newest_first(client):
    now = timezone.now()
    for days in range(12):
        BriefingFactory(
            published=True, title=f"Day {days}", published_at=now - datetime.timedelta(days=days)
        )

    first, second = client.get(LIST_URL), client.get(LIST_URL, {"page": 2})

    assert titles(first)[:2] == ["Day 0", "Day 1"]
    assert titles(second) == ["Day 10", "Day 11"]


def test_page_links_keep_the_topic(client):
    BriefingFactory.create_batch(11, published=True, topics=[topic("spam")])

    assert "?topic=spam&amp;page=2" in client.get(LIST_URL, {"topic": "spam"}).text


def test_the_list_labels_the_topic_filter_and_links_the_feed(client):
    content = client.get(LIST_URL).text

    assert '<label for="id_topic">' in content
    assert reverse("agreements:briefing_feed") in content


@pytest.mark.parametrize("role", ROLES)
def test_a_public_briefing_page_opens_for_every_role(role_client, role, public):
    response = role_client.get(public.get_absolute_url())

    assert response.status_code == 200
    assert "<strong>Markdown</strong>" in response.text


def test_a_members_briefing_sends_anonymous_visitors_to_log_in(client, members_only):
    response = client.get(members_only.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_members_briefing_is_hidden_from_a_login_that_is_no_member(client, members_only):
    client.force_login(UserFactory())

    assert client.get(members_only.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_a_members_briefing_opens_for_members(role_client, role, members_only):
    assert role_client.get(members_only.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("operator_a", 404),
        ("operator_b", 404),
        ("member_admin_a", 404),
        ("board_user", 404),
        ("secretariat_user", 200),
    ],
)
def test_only_the_secretariat_previews_a_draft(role_client, role, status, draft):
    response = role_client.get(draft.get_absolute_url())

    assert response.status_code == status
    if status == 200:
        assert "is not published" in response.text


def test_a_withdrawn_briefing_page_is_gone_for_members(client, operator_a):
    briefing = BriefingFactory(published=True, status="withdrawn")
    client.force_login(operator_a)

    assert client.get(briefing.get_absolute_url()).status_code == 404


def test_a_partner_briefing_page_says_whose_channel_published_it(client):
    briefing = BriefingFactory(isoc_approved=True, status="published", published_at=timezone.now())

    assert (
        "with the agreement of Internet Society (test)"
        in client.get(briefing.get_absolute_url()).text
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_list_runs_the_same_queries_for_5_and_30_briefings(role_client, role):
    BriefingFactory.create_batch(5, published=True, topics=[topic("spam")])
    with_5 = count_queries(role_client, LIST_URL)
    BriefingFactory.create_batch(25, published=True, topics=[topic("spam")])

    with_30 = count_queries(role_client, f"{LIST_URL}?page=2")

    assert with_30 == with_5


def test_the_list_query_count_for_anyone(client, django_assert_num_queries):
    BriefingFactory.create_batch(12, published=True, topics=[topic("spam")])

    # Count, page, topics of the page, topic filter options.
    with django_assert_num_queries(4):
        client.get(LIST_URL)


def test_the_briefing_page_query_count_for_anyone(client, public, django_assert_num_queries):
    public.topics.set([topic("spam"), topic("cybersecurity")])

    # The briefing with its channel, its topics.
    with django_assert_num_queries(2):
        client.get(public.get_absolute_url())


def test_the_home_page_shows_the_three_latest_public_briefings(client):
    now = timezone.now()
    for days in range(4):
        BriefingFactory(
            published=True, title=f"Home {days}", published_at=now - datetime.timedelta(days=days)
        )
    BriefingFactory(published=True, members=True, title="Members news")

    response = client.get("/")

    assert [b.title for b in response.context["latest_briefings"]] == [
        "Home 0",
        "Home 1",
        "Home 2",
    ]
    assert "Members news" not in response.text


def test_the_navigation_links_the_briefings_for_everyone(client):
    assert f'href="{LIST_URL}"' in client.get("/").text


# What HTML takes in <time datetime> for a moment: at most three digits of a second.
HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)")


@pytest.mark.parametrize("page", ["home", "list", "briefing"])
def test_publication_times_are_machine_readable_as_html_allows(client, page):
    published_at = timezone.now().replace(microsecond=756944) - datetime.timedelta(days=2)
    briefing = BriefingFactory(published=True, published_at=published_at)
    url = {
        "home": reverse("home"),
        "list": LIST_URL,
        "briefing": briefing.get_absolute_url(),
    }[page]

    attributes = re.findall(r'<time datetime="([^"]*)"', client.get(url).text)

    assert attributes
    for attribute in attributes:
        assert HTML_DATETIME.fullmatch(attribute), attribute
        moment = datetime.datetime.fromisoformat(attribute)
        assert moment == published_at.replace(microsecond=0)
