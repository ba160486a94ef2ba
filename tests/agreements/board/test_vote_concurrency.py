"""Votes at the same instant, from separate database connections: each director's counts once,
and one director's two votes cannot both land. Needs real concurrent transactions, so
PostgreSQL only."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from agreements.models import Vote
from agreements.services.board import cast_vote
from tests.agreements.board.factories import ResolutionFactory, director

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent votes need PostgreSQL: SQLite serialises writers. Run with "
        "DATABASE_URL=postgres://… to include this test.",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def vote_at_once(resolution, voters):
    """cast_vote for each (director, choice), each in its own thread, released together."""
    barrier = threading.Barrier(len(voters))
    outcomes = [None] * len(voters)

    def run(index, contact, choice):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = cast_vote(resolution=resolution, director=contact, choice=choice)
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, contact, choice))
        for index, (contact, choice) in enumerate(voters)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


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
