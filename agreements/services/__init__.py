"""The agreements app's business rules, one module per sub-domain, re-exported here."""

from agreements.models import Clearance
from agreements.services.briefings import (
    WORKFLOW,
    available_moves,
    briefing_content_errors,
    briefing_recipients,
    make_move,
    publish,
    record_partner_approval,
    request_changes,
    submit,
    withdraw,
)
from agreements.services.exchanges import exchanges_visible_to
from agreements.services.register import (
    agreement_history,
    documents_visible_to,
    record_review,
)
from agreements.services.seats import appoint, representative_seats, seat_timeline, timeline_seats

__all__ = [
    "Clearance",
    "WORKFLOW",
    "agreement_history",
    "appoint",
    "available_moves",
    "briefing_content_errors",
    "briefing_recipients",
    "documents_visible_to",
    "exchanges_visible_to",
    "make_move",
    "publish",
    "record_partner_approval",
    "record_review",
    "representative_seats",
    "request_changes",
    "seat_timeline",
    "submit",
    "timeline_seats",
    "withdraw",
]
