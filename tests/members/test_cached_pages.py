"""The directory is rendered from the cache: a change to the members shows on the next
request, a change to anything else leaves it cached, and only parameters with a bounded set
of values (a known country or category, a page within the page count) are kept."""

import pytest
from django.urls import reverse

from members.models import Member
from tests.agreements.factories import AgreementFactory
from tests.cache_contents import stored_keys
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")


def rename_unseen(member, name):
    """Renames `member` without a word to the cache, as no write of the portal does: a page
    that still shows the old name was served from the cache."""
    Member._base_manager.filter(pk=member.pk).update(name=name)


@pytest.fixture
def directory_client(client, operator_a):
    client.force_login(operator_a)
    return client


def test_directory_stays_cached_when_an_agreement_is_renamed(directory_client, member_b):
    directory_client.get(DIRECTORY)
    rename_unseen(member_b, "Renamed unseen")
    agreement = AgreementFactory()

    agreement.title = "Renamed agreement"
    agreement.save()

    assert "Bravo Networks" in directory_client.get(DIRECTORY).text


def test_directory_shows_a_member_renamed_after_it_was_cached(directory_client, member_b):
    directory_client.get(DIRECTORY)

    member_b.name = "Bravo Broadband"
    member_b.save()

    assert "Bravo Broadband" in directory_client.get(DIRECTORY).text


def test_directory_searches_add_nothing_to_the_cache(directory_client, member_b):
    directory_client.get(f"{DIRECTORY}?q=warm-up")
    before = stored_keys()

    for number in range(50):
        directory_client.get(f"{DIRECTORY}?q=bravo-{number}")
    response = directory_client.get(f"{DIRECTORY}?q=bravo")

    assert "Bravo Networks" in response.text
    assert stored_keys() == before


@pytest.mark.parametrize(
    "query",
    [
        "country=ZZ",
        "country=jm",
        "category=999999",
        "category=0{category}",
        "page=999999",
        "page=01",
        "page=two",
    ],
)
def test_directory_with_an_unknown_or_respelled_value_adds_nothing_to_the_cache(
    directory_client, member_a, member_b, query
):
    directory_client.get(DIRECTORY)
    before = stored_keys()

    response = directory_client.get(f"{DIRECTORY}?{query.format(category=member_a.category.pk)}")

    assert response.status_code == 200
    assert stored_keys() == before


@pytest.mark.parametrize("query", ["country=TT", "category={category}", "page=1"])
def test_directory_filtered_by_a_known_value_is_kept(directory_client, member_a, query):
    MemberFactory(country="JM")
    directory_client.get(DIRECTORY)
    before = stored_keys()

    directory_client.get(f"{DIRECTORY}?{query.format(category=member_a.category.pk)}")

    assert stored_keys() > before
