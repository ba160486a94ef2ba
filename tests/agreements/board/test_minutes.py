"""Minutes are drafted by the Secretariat, approved by a resolution, then frozen."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.models import BoardMeeting, Minutes, Resolution, Vote
from agreements.services.board import close_resolution, draft_minutes
from tests.agreements.board.factories import (
    MinutesFactory,
    ResolutionFactory,
    VoteFactory,
    director,
)

pytestmark = pytest.mark.django_db


def approve(minutes):
    resolution = ResolutionFactory(approves_minutes=minutes)
    for _ in range(2):
        VoteFactory(resolution=resolution, director=director())
    return close_resolution(resolution=resolution)


def test_draft_minutes_can_be_changed(secretariat_user):
    minutes = MinutesFactory()
    draft_minutes(meeting=minutes.meeting, text="Corrected.", by=secretariat_user)
    assert Minutes.objects.get().text == "Corrected."


def test_approved_minutes_are_frozen(secretariat_user):
    minutes = MinutesFactory()
    approve(minutes)
    with pytest.raises(ValidationError, match="approved and frozen"):
        draft_minutes(meeting=minutes.meeting, text="Rewritten.", by=secretariat_user)
    assert Minutes.objects.get().text == "The Board met and decided."


def test_approving_the_minutes_marks_the_meeting_minuted():
    minutes = MinutesFactory()
    approve(minutes)
    assert BoardMeeting.objects.get().status == BoardMeeting.Status.MINUTED


def test_minutes_awaiting_approval():
    waiting = MinutesFactory()
    approve(MinutesFactory())
    assert list(Minutes.objects.awaiting_approval()) == [waiting]


def test_changing_minutes_put_to_the_vote_voids_the_votes_cast_on_them(secretariat_user):
    minutes = MinutesFactory()
    resolution = ResolutionFactory(approves_minutes=minutes)
    VoteFactory(resolution=resolution)
    draft_minutes(meeting=minutes.meeting, text="Corrected.", by=secretariat_user)
    assert Vote.objects.live().count() == 0
    assert Resolution.objects.get().revision == 2


def test_changing_minutes_put_to_the_vote_in_the_admin_voids_the_votes(client, secretariat_user):
    minutes = MinutesFactory()
    VoteFactory(resolution=ResolutionFactory(approves_minutes=minutes))
    client.force_login(secretariat_user)
    client.post(
        reverse("admin:agreements_minutes_change", args=[minutes.pk]),
        {"meeting": minutes.meeting_id, "text": "Corrected."},
    )
    assert Minutes.objects.get().text == "Corrected."
    assert Vote.objects.live().count() == 0


def test_saving_minutes_unchanged_keeps_the_votes_cast_on_them(secretariat_user):
    minutes = MinutesFactory()
    VoteFactory(resolution=ResolutionFactory(approves_minutes=minutes))
    draft_minutes(meeting=minutes.meeting, text=minutes.text, by=secretariat_user)
    assert Vote.objects.live().count() == 1


def test_minutes_cannot_change_once_voting_on_their_approval_has_ended(secretariat_user):
    minutes = MinutesFactory()
    resolution = ResolutionFactory(approves_minutes=minutes)
    VoteFactory(resolution=resolution)
    Resolution.objects.update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="Voting on the approval of these minutes has ended"):
        draft_minutes(meeting=minutes.meeting, text="Corrected.", by=secretariat_user)
    assert (Minutes.objects.get().text, Vote.objects.live().count()) == (minutes.text, 1)


def test_the_admin_refuses_to_change_minutes_once_voting_on_their_approval_has_ended(
    client, secretariat_user
):
    minutes = MinutesFactory()
    VoteFactory(resolution=ResolutionFactory(approves_minutes=minutes))
    Resolution.objects.update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(secretariat_user)
    response = client.post(
        reverse("admin:agreements_minutes_change", args=[minutes.pk]),
        {"meeting": minutes.meeting_id, "text": "Corrected."},
    )
    assert "Voting on the approval of these minutes has ended" in response.text
    assert (Minutes.objects.get().text, Vote.objects.live().count()) == (minutes.text, 1)
