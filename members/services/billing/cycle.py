"""The daily run of the dues cycle."""

import datetime

from django.db import transaction
from django.utils import timezone

from members.models import Invoice
from members.services.billing.lapsing import propose_lapses
from members.services.billing.payments import mirror_dues


def run_dues_cycle(*, today: datetime.date | None = None) -> dict[str, int]:
    """What `manage.py run_dues_cycle` does each day: dues records follow their invoices,
    and long-overdue members are proposed for lapsing; the command then queues the reminders
    for the background worker."""
    today = today or timezone.localdate()
    with transaction.atomic():
        mirrored = mirror_dues(invoices=Invoice.objects.dues().live(), today=today)
    proposals = propose_lapses(today=today)
    return {"dues_updated": mirrored, "lapse_proposals": len(proposals)}
