"""The outcome is derived from the votes, the recusals and the directors of the decision day:
carried, failed, or no quorum once closed, open before."""

import pytest

from agreements.models import Recusal, Tally
from agreements.services.board import close_resolution, tally
from tests.agreements.board.factories import ResolutionFactory, VoteFactory, director

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    """Five current directors."""
    return [director() for _ in range(5)]


def decide(board, choices, recused=()):
    resolution = ResolutionFactory()
    for contact in recused:
        Recusal.objects.create(resolution=resolution, director=contact, reason="Conflict")
    for contact, choice in zip(board, choices, strict=False):
        VoteFactory(resolution=resolution, director=contact, choice=choice)
    return close_resolution(resolution=resolution)


def test_a_majority_of_approvals_with_quorum_carries(board):
    resolution = decide(board, ["approve", "approve", "oppose"])
    assert tally(resolution).outcome == Tally.Outcome.CARRIED


def test_as_many_oppositions_as_approvals_fails(board):
    resolution = decide(board, ["approve", "oppose", "abstain"])
    assert tally(resolution).outcome == Tally.Outcome.FAILED


def test_fewer_votes_than_a_majority_of_the_board_is_no_quorum(board):
    resolution = decide(board, ["approve", "approve"])
    assert tally(resolution).outcome == Tally.Outcome.NO_QUORUM


def test_recused_directors_do_not_count_towards_the_quorum(board):
    resolution = decide(board[2:], ["approve", "approve"], recused=board[:2])
    counted = tally(resolution)
    assert (counted.eligible, counted.quorum, counted.outcome) == (3, 2, Tally.Outcome.CARRIED)


def test_an_open_resolution_has_no_outcome_yet(board):
    resolution = ResolutionFactory()
    for contact in board:
        VoteFactory(resolution=resolution, director=contact)
    assert tally(resolution).outcome == Tally.Outcome.OPEN


def test_the_quorum_share_is_a_setting(board, settings):
    settings.BOARD_QUORUM_PERCENT = 20
    resolution = decide(board, ["approve", "approve"])
    assert tally(resolution).outcome == Tally.Outcome.CARRIED
