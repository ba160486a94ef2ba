"""Background tasks of the members app (Django's tasks framework; the worker is
`python manage.py db_worker`, see agreements/tasks.py)."""

import datetime

from django.tasks import task

from members.services import billing


@task
def send_dues_reminders(today: str | None = None):
    """Sends the invoice reminders due on `today` (ISO date; default today), each once."""
    on = datetime.date.fromisoformat(today) if today else None
    return len(billing.send_due_reminders(today=on))
