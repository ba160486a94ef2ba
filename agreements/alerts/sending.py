"""Email alerts, each sent once, for a daily cron (`manage.py send_alerts`).

Producers are plain functions `producer(today)` yielding `Alert`s; agreements.alerts
lists them. Each alert
has a key naming exactly what it is about, including the date it is about, so the same
situation always yields the same key and a changed one (a new expiry or review date) a new key.

Once only: `send_alerts` records the key in SentAlert (its `key` is unique) in the same
database transaction as the sending, and commits only after the mail server accepted the
message:
* run twice (or by two crons at once), the second run finds the key, or waits on the unique
  index until the first commits and then finds it, and sends nothing;
* if sending fails, the transaction rolls back, nothing is recorded and the next run retries;
* if the process dies after the mail server accepted the message and before the commit, the
  key is not recorded and the next run sends again. That window is the commit itself, and a
  mail system cannot take part in the database transaction. The message then carries the same
  Message-ID as the first attempt, which mail servers and clients use to drop the duplicate.
"""

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from agreements.models import SentAlert

logger = logging.getLogger(__name__)


@dataclass
class Alert:
    key: str
    subject: str
    recipients: list
    template: str
    context: dict = field(default_factory=dict)


# A producer: the alerts due on a day.
type ProducedAlerts = Callable[[datetime.date], Iterable[Alert]]


def recipients(responsible, others):
    """The responsible staff member first, then `others`, each address once."""
    addresses = list(others)
    if responsible and responsible.email:
        addresses.insert(0, responsible.email)
    return list(dict.fromkeys(address.lower() for address in addresses))


def message_id(key):
    """The same Message-ID for every attempt at one alert, so a resend after a crash is
    recognised as the same message."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<alert.{digest}@canto-portal>"


def build_message(alert):
    context = {**alert.context, "alert": alert}
    return EmailMultiAlternatives(
        subject=alert.subject,
        body=render_to_string(f"{alert.template}.txt", context),
        to=alert.recipients,
        headers={"Message-ID": message_id(alert.key)},
        alternatives=[(render_to_string(f"{alert.template}.html", context), "text/html")],
    )


def send_alert(alert):
    """Sends one alert unless its key is recorded; True when it went out now."""
    try:
        with transaction.atomic():
            # Recorded first, inside the transaction: a concurrent run blocks here until this
            # one commits, then fails on the unique key and skips.
            SentAlert.objects.create(key=alert.key, recipients=", ".join(alert.recipients))
            build_message(alert).send()
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
