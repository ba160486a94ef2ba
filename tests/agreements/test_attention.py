"""The Board's attention page: what needs the Board, each item linking to where it is
handled, for the Board and the Secretariat only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import ActionItem, Agreement, Commitment, Confidentiality, Seat
from tests.agreements.board.factories import ActionItemFactory, ResolutionFactory
from tests.agreements.factories import AgreementFactory, CommitmentFactory
from tests.agreements.factories_seats import AppointmentFactory, SeatFactory

pytestmark = pytest.mark.django_db

BOARD_PAGE = "/board/"


def days(count):
    return timezone.localdate() + datetime.timedelta(days=count)


@pytest.mark.parametrize("role", ["operator_a", "member_admin_a"])
def test_member_operators_may_not_open_the_attention_page(role_client, role):
    assert role_client.get(BOARD_PAGE).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in():
    from django.test import Client

    response = Client().get(BOARD_PAGE)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", ["board_user", "secretariat_user"])
def test_the_board_and_the_secretariat_see_what_needs_attention(role_client, role):
    AgreementFactory(reference="CANTO-AGR-2020-001", next_review_on=days(-3))
    AgreementFactory(reference="CANTO-AGR-2020-002", expires_on=days(20))
    response = role_client.get(BOARD_PAGE)
    assert response.status_code == 200
    labels = {item.label: item.count for item in response.context["items"]}
    assert labels["Reviews overdue"] == 1
    assert labels["Agreements expiring within 90 days"] == 1


def test_an_agreement_in_its_notice_period_is_listed(client, board_user):
    AgreementFactory(expires_on=days(40), renewal=Agreement.Renewal.NOTICE, notice_period_days=60)
    AgreementFactory(expires_on=days(80), renewal=Agreement.Renewal.NOTICE, notice_period_days=60)
    client.force_login(board_user)
    items = {item.label: item.count for item in client.get(BOARD_PAGE).context["items"]}
    assert items["Agreements in their notice period"] == 1


def test_commitments_past_due_link_straight_to_their_agreement(client, board_user):
    agreement = AgreementFactory()
    CommitmentFactory(agreement=agreement, due_on=days(-1), status=Commitment.Status.IN_PROGRESS)
    CommitmentFactory(agreement=AgreementFactory(), due_on=days(-1), status=Commitment.Status.MET)
    client.force_login(board_user)
    items = {item.label: item for item in client.get(BOARD_PAGE).context["items"]}
    item = items["Agreements with commitments past due"]
    assert item.count == 1 and item.link == agreement.get_absolute_url()


def test_vacant_seats_and_seat_terms_ending_are_listed(client, board_user):
    AppointmentFactory(starts_on=days(-700), ends_on=days(30))
    seats = Seat.objects.count()
    client.force_login(board_user)
    items = {item.label: item.count for item in client.get(BOARD_PAGE).context["items"]}
    assert items["Council seats vacant"] == seats - 1
    assert items["Council seat terms ending within 90 days"] == 1


def test_what_needs_nothing_is_left_out(client, board_user):
    AgreementFactory(next_review_on=days(100))
    client.force_login(board_user)
    labels = {item.label for item in client.get(BOARD_PAGE).context["items"]}
    assert "Reviews overdue" not in labels


def test_the_page_links_to_the_board_meetings(client, board_user):
    client.force_login(board_user)
    assert reverse("agreements:board_meetings") in client.get(BOARD_PAGE).text


def test_the_navigation_links_the_board_page_for_the_board_only(client, board_user, operator_a):
    client.force_login(operator_a)
    assert f'href="{BOARD_PAGE}"' not in client.get("/portal/").text
    client.force_login(board_user)
    assert f'href="{BOARD_PAGE}"' in client.get("/agreements/").text


def test_board_only_agreements_are_counted_for_the_board(client, board_user):
    AgreementFactory(confidentiality=Confidentiality.BOARD, next_review_on=days(-1))
    client.force_login(board_user)
    items = {item.label: item.count for item in client.get(BOARD_PAGE).context["items"]}
    assert items["Reviews overdue"] == 1


def test_the_pictures_page_shows_every_chart_with_its_download(client, board_user):
    client.force_login(board_user)
    page = client.get("/board/charts/").text
    for slug in (
        "agreement-spans",
        "commitments-by-status",
        "members-by-country",
        "members-joined-and-left",
        "dues-invoiced-and-collected",
    ):
        assert f'id="chart-{slug}"' in page and f"/charts/{slug}.csv" in page


def test_member_operators_may_not_open_the_pictures_page(client, operator_a):
    client.force_login(operator_a)
    assert client.get("/board/charts/").status_code == 403


def count_of(client, label):
    items = {item.label: item.count for item in client.get(BOARD_PAGE).context["items"]}
    return items.get(label, 0)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("label", "record"),
    [
        ("Reviews overdue", lambda: AgreementFactory(next_review_on=days(-3))),
        ("Agreements expiring within 90 days", lambda: AgreementFactory(expires_on=days(20))),
        ("Resolutions waiting for a vote", ResolutionFactory),
    ],
    ids=["review overdue", "agreement expiring", "resolution"],
)
def test_a_record_added_after_a_view_is_counted_on_the_next(client, board_user, label, record):
    client.force_login(board_user)
    assert count_of(client, label) == 0
    record()
    assert count_of(client, label) == 1


def test_a_commitment_met_leaves_the_count_at_once(client, board_user):
    commitment = CommitmentFactory(due_on=days(-1), status=Commitment.Status.IN_PROGRESS)
    client.force_login(board_user)
    assert count_of(client, "Agreements with commitments past due") == 1
    commitment.status = Commitment.Status.MET
    commitment.save()
    assert count_of(client, "Agreements with commitments past due") == 0


def test_a_seat_filled_is_counted_at_once(client, board_user):
    seat = SeatFactory()
    client.force_login(board_user)
    vacant = count_of(client, "Council seats vacant")
    AppointmentFactory(seat=seat, starts_on=days(-700), ends_on=days(30))
    assert count_of(client, "Council seats vacant") == vacant - 1
    assert count_of(client, "Council seat terms ending within 90 days") == 1


def test_the_attention_page_seen_again_reads_its_counts_from_the_cache(client, board_user):
    AgreementFactory(next_review_on=days(-3))
    client.force_login(board_user)
    # The login's roles and permissions, kept.
    client.get("/board/charts/")
    first = queries(client, BOARD_PAGE)
    again = client.get(BOARD_PAGE)
    assert queries(client, BOARD_PAGE) < first
    assert "Reviews overdue" in again.text


def test_a_director_sees_their_own_open_action_items_and_not_the_others(client, board_user):
    ActionItemFactory(owner_contact=board_user.contact, title="Draft the spectrum memo")
    ActionItemFactory(title="Another director task")
    ActionItemFactory(
        owner_contact=board_user.contact, title="Finished task", status=ActionItem.Status.DONE
    )
    client.force_login(board_user)
    page = client.get(BOARD_PAGE).text
    assert "Draft the spectrum memo" in page
    assert "Another director task" not in page and "Finished task" not in page


def test_secretariat_staff_see_the_action_items_they_own(client, secretariat_user):
    ActionItemFactory(owner_contact=None, owner_staff=secretariat_user, title="Book the venue")
    client.force_login(secretariat_user)
    assert "Book the venue" in client.get(BOARD_PAGE).text


def test_an_action_item_done_leaves_the_owners_page_at_once(client, board_user):
    item = ActionItemFactory(owner_contact=board_user.contact, title="Draft the spectrum memo")
    client.force_login(board_user)
    assert "Draft the spectrum memo" in client.get(BOARD_PAGE).text
    item.status = ActionItem.Status.DONE
    item.save()
    assert "Draft the spectrum memo" not in client.get(BOARD_PAGE).text
