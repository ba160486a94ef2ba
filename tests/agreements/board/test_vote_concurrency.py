"""Votes at the same instant, from separate database connections: each director's counts once,
and one director's two votes cannot both land. Needs real concurrent transactions, so
PostgreSQL only."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from agreements.models import Vote
from agreements.services.board import cast_vote
from tests.agreements.board.factories import ResolutionFactory, director
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent votes need PostgreSQL: SQLite serialises writers. Run with "
        "DATABASE_URL=postgres://… to include this test.",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def vote_at_once(resolution, voters):
    """cast_vote for each (director, choice) on its own connection, all at the same moment."""
    return at_once(
        [
            lambda contact=contact, choice=choice: cast_vote(
                resolution=resolution, director=contact, choice=choice
            )
            for contact, choice in voters
        ]
    )


def test_two_directors_voting_at_the_same_instant_are_both_counted():
    resolution = ResolutionFactory()
    first, second = director(), director()
    outcomes = vote_at_once(resolution, [(first, "approve"), (second, "oppose")])
    assert all(isinstance(outcome, Vote) for outcome in outcomes)
    assert sorted(Vote.objects.values_list("choice", flat=True)) == ["approve", "oppose"]


def test_one_director_voting_twice_at_the_same_instant_counts_once():
    resolution = ResolutionFactory()
    voter = director()
    outcomes = vote_at_once(resolution, [(voter, "approve"), (voter, "oppose")])
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(refused) == 1
    assert "already voted" in refused[0].messages[0]
    assert Vote.objects.count() == 1
