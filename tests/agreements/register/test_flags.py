"""Flags where the records are: badges on register rows, banners on an agreement's page."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Agreement, Commitment, Confidentiality
from tests.agreements.factories import AgreementFactory, CommitmentFactory

pytestmark = pytest.mark.django_db


def days(count):
    return timezone.localdate() + datetime.timedelta(days=count)


@pytest.fixture
def due_for_attention():
    agreement = AgreementFactory(
        reference="CANTO-AGR-2024-900",
        next_review_on=days(-5),
        expires_on=days(6),
        renewal=Agreement.Renewal.NOTICE,
        notice_period_days=30,
    )
    CommitmentFactory(agreement=agreement, due_on=days(-1), status=Commitment.Status.AT_RISK)
    return agreement


def test_an_agreement_page_opens_with_a_banner_for_each_state(
    client, board_user, due_for_attention
):
    client.force_login(board_user)
    page = client.get(due_for_attention.get_absolute_url()).text
    assert "review was due on" in page
    assert "In its notice period since" in page
    assert "Commitments are past their due date." in page


def test_an_agreement_expiring_soon_without_notice_says_when(client, board_user):
    agreement = AgreementFactory(expires_on=days(6))
    client.force_login(board_user)
    assert "within 90 days" in client.get(agreement.get_absolute_url()).text


def test_register_rows_carry_badges(client, board_user, due_for_attention):
    client.force_login(board_user)
    page = client.get("/agreements/").text
    for badge in ("Review overdue", "In notice period", "Commitments past due"):
        assert f'class="badge badge-overdue">{badge}<' in page


def test_the_public_sees_expiry_but_not_the_boards_business(client):
    agreement = AgreementFactory(
        next_review_on=days(-5), expires_on=days(6), confidentiality=Confidentiality.PUBLIC
    )
    CommitmentFactory(agreement=agreement, due_on=days(-1), status=Commitment.Status.AT_RISK)
    page = client.get("/agreements/").text
    assert 'class="badge badge-soon">Expiring<' in page
    assert "Review overdue" not in page.split("</form>")[-1]
    assert "Commitments past due" not in page


def test_a_quiet_agreement_carries_no_banner(client, board_user):
    agreement = AgreementFactory(expires_on=days(400), next_review_on=days(100))
    client.force_login(board_user)
    assert 'class="banner' not in client.get(agreement.get_absolute_url()).text
