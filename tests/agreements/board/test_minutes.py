"""Minutes are drafted by the Secretariat, approved by a resolution, then frozen."""

import pytest
from django.core.exceptions import ValidationError

from agreements.models import BoardMeeting, Minutes
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
