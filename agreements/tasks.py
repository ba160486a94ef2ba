"""Background tasks of the agreements app (Django's tasks framework; settings.TASKS uses
django-tasks-db, whose worker runs them: `python manage.py db_worker`).

Emailing a members briefing, exactly once per recipient. publish() writes one pending
BriefingDelivery per recipient in the publishing transaction (the pair is unique), then queues
send_briefing. The sender takes one pending row at a time, each in its own transaction:

1. it claims the row: SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so a second sender
   running at the same time takes the next row instead of waiting for this one or sending it
   too; then it marks the row sent with an UPDATE that only matches a pending row, which on
   SQLite (no row locks) makes a second writer fail rather than send again;
2. it hands the message to the mail server;
3. it commits: the row is sent only once the mail server has accepted the message.

A sender killed anywhere before 3 leaves the row pending (the transaction rolls back, the
database drops the lock with the connection), and the next sender sends it: nobody is
skipped. Rows committed as sent are never taken again: nobody is mailed twice.

The window that remains is between the mail server accepting a message (2) and the commit
(3): a crash there, or a lost connection to the database, leaves a sent message unrecorded,
and the next sender sends it again. It is kept as small as one commit: the row is marked
before sending and each row commits right after its own message, so at most one message per
crashed sender can go twice. The mail system cannot take part in the database transaction,
so it cannot be closed; the repeated message carries the same Message-ID as the first, which
mail servers and clients use to drop the duplicate.

A sender that dies leaves its django-tasks-db task marked as running, and no worker takes it
again: `manage.py resume_briefing_deliveries` (run before starting the worker) queues a new
sender for every published briefing that still has pending rows.
"""

import logging

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from agreements.markdown import render_markdown
from agreements.models import Briefing, BriefingDelivery
from canto_portal.links import absolute_url
from canto_portal.mail import email_message, list_id
from members.models import language_of_contact
from members.unsubscribe import unsubscribe_headers

logger = logging.getLogger(__name__)


def delivery_message_key(delivery):
    """The same Message-ID for every attempt at one delivery, so a resend after a crash is
    recognised as the same message."""
    return f"briefing.{delivery.briefing_id}.{delivery.contact_id}"


def build_delivery_message(delivery, body_html):
    briefing = delivery.briefing
    context = {
        "briefing": briefing,
        "contact": delivery.contact,
        "body_html": body_html,
        "briefing_url": absolute_url(briefing.get_absolute_url()),
        # Where a contact turns off "receives briefings by email" (the member portal).
        "profile_url": absolute_url(reverse("members:portal")),
    }
    return email_message(
        to=[delivery.contact.email],
        language=language_of_contact(delivery.contact),
        subject=gettext_lazy("[CANTO] Members briefing: %(title)s"),
        subject_values={"title": briefing.title},
        template="emails/briefing_published",
        context=context,
        message_key=delivery_message_key(delivery),
        headers={
            "List-Id": list_id("CANTO Briefings", "briefings"),
            **unsubscribe_headers(delivery.contact),
        },
    )


def claimable(briefing_id, skipped):
    """Pending rows of a briefing that is still published: a withdrawn briefing stops."""
    return (
        BriefingDelivery.objects.filter(
            briefing_id=briefing_id,
            status=BriefingDelivery.Status.PENDING,
            briefing__status=Briefing.Status.PUBLISHED,
        )
        .exclude(pk__in=skipped)
        .select_related("briefing", "contact")
        .order_by("pk")
    )


def send_pending_deliveries(briefing_id):
    """Sends every pending email of a briefing; returns how many went and how many failed.

    A message the mail server refuses is logged and left pending for the next sender; the
    others still go."""
    sent = 0
    skipped = set()
    body_html = None
    # One mail server connection for the whole run.
    with translation.override(settings.LANGUAGE_CODE), mailers.default as mailer:
        while True:
            with transaction.atomic():
                delivery = (
                    claimable(briefing_id, skipped)
                    .select_for_update(skip_locked=True, of=("self",))
                    .first()
                )
                if delivery is None:
                    break
                marked = BriefingDelivery.objects.filter(
                    pk=delivery.pk, status=BriefingDelivery.Status.PENDING
                ).update(status=BriefingDelivery.Status.SENT, sent_at=timezone.now())
                if not marked:
                    continue
                if body_html is None:
                    body_html = render_markdown(delivery.briefing.body)
                try:
                    mailer.send_messages([build_delivery_message(delivery, body_html)])
                except Exception:
                    logger.exception(
                        "Briefing %s to contact %s not sent; it stays pending.",
                        briefing_id,
                        delivery.contact_id,
                    )
                    # Unmarked in the same transaction, so the row commits as it was.
                    BriefingDelivery.objects.filter(pk=delivery.pk).update(
                        status=BriefingDelivery.Status.PENDING, sent_at=None
                    )
                    skipped.add(delivery.pk)
                    continue
            sent += 1
    return {"sent": sent, "failed": len(skipped)}


@task
def send_briefing(briefing_id):
    """The background sender of a members briefing (see the module's docstring)."""
    return send_pending_deliveries(briefing_id)


def resume_deliveries():
    """Queues a sender for every published briefing with pending emails; returns their ids."""
    briefing_ids = list(
        Briefing.objects.published()
        .filter(deliveries__status=BriefingDelivery.Status.PENDING)
        .values_list("pk", flat=True)
        .distinct()
    )
    for briefing_id in briefing_ids:
        send_briefing.enqueue(briefing_id)
    return briefing_ids
