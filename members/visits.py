"""A login's previous visit, for what is new "since your last visit"."""

import datetime

from canto_portal.models import AuditAction, AuditEvent

# Where a session keeps the login's previous visit, written at login.
PREVIOUS_VISIT = "attention_previous_visit"


def remember_previous_visit(sender, request, user, **kwargs) -> None:
    """On login (the `user_logged_in` signal, after the audit trail has recorded this login):
    the login before it, kept in the session for the panel's "since your last visit"."""
    if request is None:
        return
    logins = AuditEvent.objects.filter(actor=user, action=AuditAction.LOGIN).order_by("-at")
    previous = next(iter(logins.values_list("at", flat=True)[1:2]), None)
    request.session[PREVIOUS_VISIT] = previous.isoformat() if previous else ""


def previous_visit(request) -> datetime.datetime | None:
    stored = request.session.get(PREVIOUS_VISIT)
    return datetime.datetime.fromisoformat(stored) if stored else None
