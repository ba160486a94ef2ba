"""The Board's attention page: what needs the Board, each item linking to where it is
handled, for the Board and the Secretariat only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Commitment, Confidentiality, Seat
from tests.agreements.factories import AgreementFactory, CommitmentFactory
from tests.agreements.factories_seats import AppointmentFactory

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
