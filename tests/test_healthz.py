"""/healthz: the background queue. (The database and cache checks: tests/test_pages.py.)"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agreements.tasks import send_briefing

pytestmark = pytest.mark.django_db


def queued_minutes_ago(minutes, **kwargs):
    send_briefing.enqueue(0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=minutes), **kwargs)


def test_healthz_answers_ok_while_the_worker_keeps_up(client, settings):
    settings.HEALTH_MAX_TASK_WAIT_SECONDS = 15 * 60
    queued_minutes_ago(2)

    response = client.get("/healthz")

    assert response.status_code == 200


def test_healthz_answers_503_when_a_due_task_has_waited_past_the_threshold(client, settings):
    settings.HEALTH_MAX_TASK_WAIT_SECONDS = 15 * 60
    queued_minutes_ago(16)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.text == "background tasks delayed\n"


def test_healthz_ignores_a_task_queued_to_run_later(client, settings):
    settings.HEALTH_MAX_TASK_WAIT_SECONDS = 15 * 60
    queued_minutes_ago(60, run_after=timezone.now() + timedelta(hours=1))

    response = client.get("/healthz")

    assert response.status_code == 200


def test_healthz_ignores_tasks_already_done(client, settings):
    settings.HEALTH_MAX_TASK_WAIT_SECONDS = 15 * 60
    queued_minutes_ago(60, status="SUCCESSFUL")

    response = client.get("/healthz")

    assert response.status_code == 200
