"""Votes at the same instant, from separate database connections: each director's counts once,
one director's two votes cannot both land, and each request is answered with what became of
it. What the database holds needs real concurrent transactions, so PostgreSQL; what people
are answered is tested on both databases."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from agreements.models import Vote
from agreements.services import board
from agreements.services.board import cast_vote
from tests.agreements.board.factories import ResolutionFactory, director
from tests.concurrency import at_once, database_file

POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrent votes need PostgreSQL: SQLite serialises writers. Run with "
    "DATABASE_URL=postgres://… to include this test.",
)
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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


@POSTGRESQL_ONLY
def test_two_directors_voting_at_the_same_instant_are_both_counted():
    resolution = ResolutionFactory()
    first, second = director(), director()
    outcomes = vote_at_once(resolution, [(first, "approve"), (second, "oppose")])
    assert all(isinstance(outcome, Vote) for outcome in outcomes)
    assert sorted(Vote.objects.values_list("choice", flat=True)) == ["approve", "oppose"]


@POSTGRESQL_ONLY
def test_one_director_voting_twice_at_the_same_instant_counts_once():
    resolution = ResolutionFactory()
    voter = director()
    outcomes = vote_at_once(resolution, [(voter, "approve"), (voter, "oppose")])
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert len(refused) == 1
    assert "already voted" in refused[0].messages[0]
    assert Vote.objects.count() == 1


@pytest.fixture
def slow_checks(monkeypatch):
    """A moment passes between reading the resolution and writing the vote, so that the
    requests' transactions are all open at once."""
    locked = board.locked

    def slowly_locked(resolution):
        row = locked(resolution)
        time.sleep(0.2)
        return row

    monkeypatch.setattr(board, "locked", slowly_locked)


def test_six_votes_sent_at_once_by_one_director_are_each_answered_and_count_once(
    tmp_path, slow_checks
):
    resolution = ResolutionFactory()
    voter = director()
    url = reverse("agreements:board_vote", args=[resolution.pk])
    browsers = []
    for choice in ["approve", "oppose", "abstain"] * 2:
        browser = Client(raise_request_exception=False)
        browser.force_login(voter.user)
        browsers.append((browser, choice))
    with database_file(tmp_path) as prepare:
        responses = at_once(
            [
                lambda browser=browser, choice=choice: browser.post(
                    url, {"choice": choice}, follow=True
                )
                for browser, choice in browsers
            ],
            prepare=prepare,
        )
        votes = Vote.objects.count()
    assert [response.status_code for response in responses] == [200] * 6
    answers = sorted(
        "recorded" if "Your vote is recorded." in response.text else "refused"
        for response in responses
        if "Your vote is recorded." in response.text
        or "You have already voted on this resolution" in response.text
    )
    assert (answers, votes) == (["recorded"] + ["refused"] * 5, 1)
