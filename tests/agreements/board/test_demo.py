"""The demo's Board business, on the demo agreements and a board of six."""

import pytest
from django.utils import timezone

from agreements.demo.board import seed_board_business
from agreements.demo.register import seed_agreements
from agreements.models import (
    ActionItem,
    BoardMeeting,
    Minutes,
    Recusal,
    Resolution,
    Tally,
    Vote,
)
from agreements.services.board import resolutions_with_tallies
from tests.agreements.board.factories import director

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    for _ in range(6):
        director()
    today = timezone.localdate()
    seed_agreements(today)
    seed_board_business(today)
    return today


def test_demo_has_two_past_meetings_and_a_carried_resolution_on_the_isoc_review(seeded):
    assert BoardMeeting.objects.filter(starts_at__lt=timezone.now()).count() == 2
    (isoc,) = resolutions_with_tallies(
        Resolution.objects.filter(agreement__reference="CANTO-AGR-2015-001")
    )
    assert isoc.tally.outcome == Tally.Outcome.CARRIED


def test_demo_has_an_open_circulation_vote_with_two_votes_and_one_recusal(seeded):
    circulation = Resolution.objects.open().get(method=Resolution.Method.CIRCULATION)
    assert circulation.votes.count() == 2
    assert Recusal.objects.filter(resolution=circulation, automatic=True).count() == 1


def test_demo_has_minutes_awaiting_approval_and_an_overdue_action_item(seeded):
    assert Minutes.objects.awaiting_approval().count() == 1
    assert ActionItem.objects.open().filter(due_on__lt=seeded).count() == 1


def test_a_second_demo_run_writes_nothing(seeded):
    models = [BoardMeeting, Resolution, Vote, Recusal, Minutes, ActionItem]
    counts = [model.objects.count() for model in models]
    seed_board_business(seeded)
    assert [model.objects.count() for model in models] == counts
