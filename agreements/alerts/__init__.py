"""Email alerts for the daily cron (`manage.py send_alerts`): each part of the app produces
its alerts, and the sending sends each one once (agreements/alerts/sending.py says how)."""

import datetime

from agreements.alerts import sending
from agreements.alerts.board import action_items_due
from agreements.alerts.register import expiring_agreements, overdue_reviews, past_due_commitments
from agreements.alerts.seats import seats_vacant, terms_ending
from agreements.alerts.sending import Alert, ProducedAlerts

REGISTER_ALERT_PRODUCERS: list[ProducedAlerts] = [
    expiring_agreements,
    overdue_reviews,
    past_due_commitments,
]
ALERT_PRODUCERS: list[ProducedAlerts] = [
    *REGISTER_ALERT_PRODUCERS,
    terms_ending,
    seats_vacant,
    action_items_due,
]


def send_alerts(
    today: datetime.date | None = None, producers: list[ProducedAlerts] | None = None
) -> list[Alert]:
    """Sends every alert due today that has not gone out before; returns those sent."""
    return sending.send_alerts(producers or ALERT_PRODUCERS, today)
