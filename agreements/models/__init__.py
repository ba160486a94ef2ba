"""The agreements app's models, one module per sub-domain, re-exported here so that imports,
the app label, table names, content types and permissions stay what they were."""

from agreements.models.alerts import SentAlert
from agreements.models.briefings import Audience, Briefing, BriefingDelivery, BriefingMove, Topic
from agreements.models.exchanges import InformationExchange, exchange_path
from agreements.models.register import (
    Activity,
    Agreement,
    AgreementDocument,
    Clearance,
    Commitment,
    Confidentiality,
    Partner,
    Review,
    Signatory,
    document_path,
    private_storage,
)
from agreements.models.seats import ENDING_SOON_DAYS, Appointment, Council, Seat, add_months

__all__ = [
    "ENDING_SOON_DAYS",
    "Activity",
    "Agreement",
    "AgreementDocument",
    "Clearance",
    "Appointment",
    "Audience",
    "Briefing",
    "BriefingDelivery",
    "BriefingMove",
    "Commitment",
    "Confidentiality",
    "Council",
    "InformationExchange",
    "Partner",
    "Review",
    "Seat",
    "SentAlert",
    "Signatory",
    "Topic",
    "add_months",
    "document_path",
    "exchange_path",
    "private_storage",
]
