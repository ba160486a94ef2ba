"""The Board's emails about resolutions, sent by the background worker, each to each director
exactly once: one alert per director and event, whose key is recorded in the transaction that
sends it (agreements/alerts/sending.py says how that makes it once only)."""

import datetime

from django.conf import settings
from django.dispatch import receiver
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from agreements import signals
from agreements.alerts.sending import Alert, send_alert
from agreements.models import Resolution
from agreements.services.board import (
    close_due_resolutions,
    directors_on,
    resolutions_with_tallies,
)
from canto_portal.links import absolute_url
from members.models import Contact


def resolution_alerts(resolution, directors, event, subject, template, **context):
    """One alert per director, keyed on the event and the director."""
    url = absolute_url(resolution.get_absolute_url())
    for director in directors:
        yield Alert(
            key=f"board-{event}:{resolution.pk}:{director.pk}",
            subject=subject,
            subject_values={"title": resolution.title},
            recipients=[director.email],
            template=template,
            context={"resolution": resolution, "director": director, "url": url, **context},
        )


def send_each(alerts) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return sum(1 for alert in alerts if alert.recipients[0] and send_alert(alert))


def voters(resolution):
    """Today's directors who may vote: not recused."""
    recused = resolution.recusals.values_list("director_id", flat=True)
    return Contact.objects.filter(pk__in=directors_on(timezone.localdate())).exclude(pk__in=recused)


def send_vote_opened(resolution_id: int, revision: int) -> int:
    resolution = Resolution.objects.get(pk=resolution_id)
    if resolution.is_closed or resolution.revision != revision:
        return 0
    return send_each(
        resolution_alerts(
            resolution,
            voters(resolution),
            f"vote-opened:r{revision}",
            _("[CANTO Board] Vote by circulation: %(title)s"),
            "emails/board_vote_opened",
        )
    )


def send_votes_voided(resolution_id: int, revision: int) -> int:
    resolution = Resolution.objects.get(pk=resolution_id)
    if resolution.is_closed:
        return 0
    return send_each(
        resolution_alerts(
            resolution,
            voters(resolution),
            f"votes-voided:r{revision}",
            _("[CANTO Board] Changed text, vote again: %(title)s"),
            "emails/board_votes_voided",
        )
    )


def send_reminders(resolution_id: int, now=None) -> int:
    """To the directors who have not voted, once the reminder time has come and until the
    deadline; a moved deadline gets a reminder of its own."""
    now = now or timezone.now()
    resolution = Resolution.objects.get(pk=resolution_id)
    if resolution.is_closed or resolution.deadline is None:
        return 0
    remind_at = resolution.deadline - datetime.timedelta(hours=settings.BOARD_REMINDER_HOURS)
    if not remind_at <= now < resolution.deadline:
        return 0
    voted = resolution.votes.live().values_list("director_id", flat=True)
    return send_each(
        resolution_alerts(
            resolution,
            voters(resolution).exclude(pk__in=voted),
            f"vote-reminder:{resolution.deadline.isoformat()}",
            _("[CANTO Board] Reminder, your vote is awaited: %(title)s"),
            "emails/board_vote_reminder",
        )
    )


def send_result(resolution_id: int) -> int:
    (resolution,) = resolutions_with_tallies(Resolution.objects.filter(pk=resolution_id))
    if not resolution.is_closed:
        return 0
    directors = Contact.objects.filter(pk__in=directors_on(resolution.decision_day))
    return send_each(
        resolution_alerts(
            resolution,
            directors,
            "vote-result",
            _("[CANTO Board] Result: %(title)s"),
            "emails/board_vote_result",
            tally=resolution.tally,  # type: ignore[attr-defined]  # resolutions_with_tallies
        )
    )


@task
def notify_vote_opened(resolution_id, revision):
    return send_vote_opened(resolution_id, revision)


@task
def notify_votes_voided(resolution_id, revision):
    return send_votes_voided(resolution_id, revision)


@task
def remind_voters(resolution_id):
    return send_reminders(resolution_id)


@task
def close_when_due(resolution_id):  # noqa: ARG001 (the queue shows which vote it was for)
    """Closes the circulation votes past their deadline (this one, and any a stopped worker
    missed); closing queues the result."""
    return [resolution.pk for resolution in close_due_resolutions()]


@task
def notify_result(resolution_id):
    return send_result(resolution_id)


@receiver(signals.vote_opened)
def queue_vote_opened(sender, resolution_id, revision, **kwargs):
    notify_vote_opened.enqueue(resolution_id, revision)


@receiver(signals.votes_voided)
def queue_votes_voided(sender, resolution_id, revision, **kwargs):
    notify_votes_voided.enqueue(resolution_id, revision)


@receiver(signals.deadline_set)
def queue_deadline(sender, resolution_id, deadline, **kwargs):
    remind_at = deadline - datetime.timedelta(hours=settings.BOARD_REMINDER_HOURS)
    remind_voters.using(run_after=max(remind_at, timezone.now())).enqueue(resolution_id)
    close_when_due.using(run_after=deadline).enqueue(resolution_id)


@receiver(signals.resolution_closed)
def queue_result(sender, resolution_id, **kwargs):
    notify_result.enqueue(resolution_id)
