"""Search for logged-in users: members, agreements and briefings, only what the viewer may
see, role by role."""

import pytest
from django.db import connection

from agreements.models import Agreement, Briefing, Confidentiality
from agreements.search import matching
from members.models import Member
from tests.agreements.factories import AgreementFactory
from tests.agreements.factories_briefings import BriefingFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spectrum():
    """Things about spectrum at every level of confidentiality."""
    return {
        "public": AgreementFactory(
            title="Spectrum public accord", confidentiality=Confidentiality.PUBLIC
        ),
        "members": AgreementFactory(
            title="Spectrum members accord", confidentiality=Confidentiality.MEMBERS
        ),
        "board": AgreementFactory(
            title="Spectrum board accord", confidentiality=Confidentiality.BOARD
        ),
        "member": MemberFactory(name="Spectrum Telecom"),
        "lapsed": MemberFactory(name="Spectrum Lapsed", status=Member.Status.LAPSED),
        "briefing": BriefingFactory(title="Spectrum for everyone", published=True),
        "draft": BriefingFactory(title="Spectrum draft"),
    }


def found(client, query="spectrum"):
    results = client.get("/search/", {"q": query}).context["results"]
    return {
        "agreements": {a.title for a in results.agreements},
        "members": {m.name for m in results.members},
        "briefings": {b.title for b in results.briefings},
    }


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/search/", {"q": "spectrum"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_operators_search_never_returns_a_board_only_agreement(client, operator_a, spectrum):
    client.force_login(operator_a)
    assert found(client)["agreements"] == {"Spectrum public accord", "Spectrum members accord"}


@pytest.mark.parametrize("role", ["board_user", "secretariat_user"])
def test_the_board_and_the_secretariat_find_every_agreement(role_client, role, spectrum):
    assert found(role_client)["agreements"] == {
        "Spectrum public accord",
        "Spectrum members accord",
        "Spectrum board accord",
    }


def test_an_operator_finds_members_of_the_directory_only(client, operator_a, spectrum):
    client.force_login(operator_a)
    assert found(client)["members"] == {"Spectrum Telecom"}


def test_the_secretariat_finds_a_lapsed_member_too(client, secretariat_user, spectrum):
    client.force_login(secretariat_user)
    assert found(client)["members"] == {"Spectrum Telecom", "Spectrum Lapsed"}


def test_published_briefings_are_found_and_drafts_are_not(client, operator_a, spectrum):
    client.force_login(operator_a)
    assert found(client)["briefings"] == {"Spectrum for everyone"}


def test_every_word_must_match(client, board_user, spectrum):
    client.force_login(board_user)
    assert found(client, "spectrum board")["agreements"] == {"Spectrum board accord"}


def test_an_empty_query_finds_nothing_and_says_nothing(client, board_user, spectrum):
    client.force_login(board_user)
    response = client.get("/search/", {"q": "   "})
    assert not response.context["results"] and "Nothing found" not in response.text


def test_nothing_found_says_so(client, board_user):
    client.force_login(board_user)
    assert "Nothing found for “zebra”." in client.get("/search/", {"q": "zebra"}).text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
@pytest.mark.parametrize(
    ("model", "fields", "index"),
    [
        (Member, ("name", "city", "description"), "member_search"),
        (Agreement, ("reference", "title", "summary"), "agreement_search"),
        (Briefing, ("title", "body"), "briefing_search"),
    ],
)
def test_on_postgresql_a_search_finds_its_rows_through_its_index(model, fields, index):
    with connection.cursor() as cursor:
        # A test table is too small for the planner to prefer any index on its own.
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert index in matching(model.objects.all(), fields, "spectrum").explain()


def test_the_results_link_to_what_they_found(client, board_user, spectrum):
    client.force_login(board_user)
    page = client.get("/search/", {"q": "spectrum"}).text
    for shown in ("member", "board", "briefing"):
        assert f'href="{spectrum[shown].get_absolute_url()}"' in page


def test_a_search_after_another_finds_its_own_words(client, board_user, spectrum):
    AgreementFactory(title="Roaming accord", confidentiality=Confidentiality.PUBLIC)
    client.force_login(board_user)
    assert found(client, "spectrum")["agreements"] == {
        "Spectrum public accord",
        "Spectrum members accord",
        "Spectrum board accord",
    }
    assert found(client, "roaming")["agreements"] == {"Roaming accord"}
