"""What the Board's services announce once their transaction commits. The background tasks
(agreements/tasks_board.py) listen and queue the emails, so that the services import no task
and the tasks may use the services."""

from django.dispatch import Signal

# Each is sent with `resolution_id`; the first two with the `revision` the emails are about,
# `deadline_set` with the `deadline`.
vote_opened = Signal()
votes_voided = Signal()
deadline_set = Signal()
resolution_closed = Signal()
