"""The Board's emails, each to each director exactly once: a circulation vote opens, the
reminder before its deadline to those who have not voted, the result; and action items due
and overdue."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agreements.alerts import send_alerts
from agreements.models import ActionItem, Recusal
from agreements.services.board import close_due_resolutions, edit_resolution
from agreements.tasks_board import (
    send_reminders,
    send_result,
    send_vote_opened,
    send_votes_voided,
)
from tests.agreements.board.factories import (
    ActionItemFactory,
    ResolutionFactory,
    VoteFactory,
    director,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    return [director(email=f"director{n}@board.example") for n in range(3)]


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_circulation_vote_opening_is_sent_once_to_each_director_not_recused(board):
    resolution = ResolutionFactory(title="Renew the MoU")
    Recusal.objects.create(resolution=resolution, director=board[0], reason="Sponsor")
    send_vote_opened(resolution.pk, resolution.revision)
    send_vote_opened(resolution.pk, resolution.revision)
    assert recipients() == ["director1@board.example", "director2@board.example"]
    assert "Vote by circulation: Renew the MoU" in mail.outbox[0].subject


def test_opening_a_circulation_queues_its_emails(board, django_capture_on_commit_callbacks):
    from agreements.models import Resolution
    from agreements.services.board import open_resolution

    with django_capture_on_commit_callbacks(execute=True):
        open_resolution(
            title="Renew",
            text="Text",
            method=Resolution.Method.CIRCULATION,
            deadline=timezone.now() + datetime.timedelta(days=5),
        )

    # The opening now, the reminder and the close at their times.
    queued = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == [
        "agreements.tasks_board.close_when_due",
        "agreements.tasks_board.notify_vote_opened",
        "agreements.tasks_board.remind_voters",
    ]


def test_the_reminder_goes_once_to_those_who_have_not_voted(board):
    resolution = ResolutionFactory(deadline=timezone.now() + datetime.timedelta(hours=47))
    VoteFactory(resolution=resolution, director=board[0])
    send_reminders(resolution.pk)
    send_reminders(resolution.pk)
    assert recipients() == ["director1@board.example", "director2@board.example"]


def test_no_reminder_before_its_time(board):
    resolution = ResolutionFactory(deadline=timezone.now() + datetime.timedelta(hours=49))
    assert send_reminders(resolution.pk) == 0
    assert mail.outbox == []


def test_the_reminder_hours_are_a_setting(board, settings):
    settings.BOARD_REMINDER_HOURS = 72
    resolution = ResolutionFactory(deadline=timezone.now() + datetime.timedelta(hours=60))
    assert send_reminders(resolution.pk) == 3


def test_the_result_goes_once_to_each_director_when_the_deadline_passes(board):
    resolution = ResolutionFactory(deadline=timezone.now() + datetime.timedelta(hours=1))
    for contact in board[:2]:
        VoteFactory(resolution=resolution, director=contact)
    closed = close_due_resolutions(now=timezone.now() + datetime.timedelta(hours=2))
    assert closed == [resolution]
    send_result(resolution.pk)
    send_result(resolution.pk)
    assert recipients() == [f"director{n}@board.example" for n in range(3)]
    assert "Outcome: Carried" in mail.outbox[0].body


def test_editing_the_text_tells_the_directors_once(board):
    resolution = ResolutionFactory()
    VoteFactory(resolution=resolution, director=board[0])
    edited = edit_resolution(resolution=resolution, title=resolution.title, text="New text")
    send_votes_voided(edited.pk, edited.revision)
    send_votes_voided(edited.pk, edited.revision)
    assert len(recipients()) == 3
    assert "vote again" in mail.outbox[0].subject


def test_an_action_item_alerts_its_owner_once_when_due_and_once_when_overdue():
    item = ActionItemFactory(due_on=datetime.date(2027, 3, 1))
    send_alerts(datetime.date(2027, 3, 1))
    send_alerts(datetime.date(2027, 3, 1))
    send_alerts(datetime.date(2027, 3, 2))
    send_alerts(datetime.date(2027, 3, 3))
    subjects = [message.subject for message in mail.outbox if item.title in message.subject]
    assert len(subjects) == 2
    assert "due today" in subjects[0]
    assert "overdue" in subjects[1]


def test_a_done_action_item_sends_nothing():
    ActionItemFactory(due_on=datetime.date(2027, 3, 1), status=ActionItem.Status.DONE)
    send_alerts(datetime.date(2027, 3, 5))
    assert not any("Action item" in message.subject for message in mail.outbox)
