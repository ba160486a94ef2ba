"""Email alerts, each sent once, for a daily cron (`manage.py send_alerts`).

Producers are plain functions `producer(today)` yielding `Alert`s; agreements.alerts
lists them. Each alert
has a key naming exactly what it is about, including the date it is about, so the same
situation always yields the same key and a changed one (a new expiry or review date) a new key.

Once only: `send_alerts` records the key in SentAlert (its `key` is unique) in the same
database transaction as the sending, and commits only after the mail server accepted the
messages, one per recipient:
* run twice (or by two crons at once), the second run finds the key, or waits on the unique
  index until the first commits and then finds it, and sends nothing;
* if sending fails, the transaction rolls back, nothing is recorded and the next run retries;
  those whose messages went before the failure get them again, with the same Message-IDs;
* if the process dies after the mail server accepted the message and before the commit, the
  key is not recorded and the next run sends again. That window is the commit itself, and a
  mail system cannot take part in the database transaction. Each message then carries the same
  Message-ID as at the first attempt, which mail servers and clients use to drop the duplicate.
"""

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from agreements.models import SentAlert
from canto_portal.mail import email_message
from members.models import languages_of

logger = logging.getLogger(__name__)


@dataclass
class Alert:
    key: str
    # A lazy translation, written in each recipient's language, its placeholders filled from
    # `subject_values`.
    subject: str | Promise
    recipients: list
    template: str
    context: dict = field(default_factory=dict)
    subject_values: dict = field(default_factory=dict)


# A producer: the alerts due on a day.
type ProducedAlerts = Callable[[datetime.date], Iterable[Alert]]


def recipients(responsible, others):
    """The responsible staff member first, then `others`, each address once."""
    addresses = list(others)
    if responsible and responsible.email:
        addresses.insert(0, responsible.email)
    return list(dict.fromkeys(address.lower() for address in addresses))


def message_key(key, address):
    """The same Message-ID for every attempt at one alert to one address, so a resend after a
    crash is recognised as the same message."""
    digest = hashlib.sha256(f"{key} {address}".encode()).hexdigest()[:32]
    return f"alert.{digest}"


def build_messages(alert):
    """One message per recipient, in their language: an alert goes to people of several
    members, who must not see each other's addresses."""
    languages = languages_of(alert.recipients)
    context = {**alert.context, "alert": alert}
    return [
        email_message(
            to=[address],
            language=languages[address],
            subject=alert.subject,
            subject_values=alert.subject_values,
            template=alert.template,
            context=context,
            message_key=message_key(alert.key, address),
        )
        for address in alert.recipients
    ]


def send_alert(alert):
    """Sends one alert unless its key is recorded; True when it went out now."""
    try:
        with transaction.atomic():
            # Recorded first, inside the transaction: a concurrent run blocks here until this
            # one commits, then fails on the unique key and skips.
            SentAlert.objects.create(key=alert.key, recipients=", ".join(alert.recipients))
            for message in build_messages(alert):
                message.send()
    except IntegrityError:
        return False
    return True


def send_alerts(producers, today=None):
    """Sends every alert due today that has not gone out before; returns those sent.

    A failing alert is logged and left unrecorded for the next run; the others still go."""
    today = today or timezone.localdate()
    sent = []
    with translation.override(settings.LANGUAGE_CODE):
        for producer in producers:
            for alert in producer(today):
                if not alert.recipients:
                    logger.warning("Alert %s has nobody to go to; not sent.", alert.key)
                    continue
                if SentAlert.objects.filter(key=alert.key).exists():
                    continue
                try:
                    if send_alert(alert):
                        sent.append(alert)
                except Exception:
                    logger.exception("Alert %s could not be sent; the next run retries.", alert.key)
    return sent
