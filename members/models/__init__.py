"""The members app's models, one module per sub-domain, re-exported here so that imports,
the app label and table names stay what they were."""

from members.models.billing import (
    CreditNote,
    DuesRate,
    ImmutableOnceIssued,
    Invoice,
    InvoiceLine,
    InvoiceNumberSequence,
    InvoiceReminder,
    LapseProposal,
    Payment,
)
from members.models.people import (
    PRIVILEGED_ROLES,
    BoardTerm,
    Contact,
    Invitation,
)
from members.models.preferences import (
    LanguagePreference,
    language_of_contact,
    languages_of,
)
from members.models.register import Benefit, Dues, Member, MembershipCategory

__all__ = [
    "PRIVILEGED_ROLES",
    "Benefit",
    "BoardTerm",
    "Contact",
    "CreditNote",
    "Dues",
    "DuesRate",
    "ImmutableOnceIssued",
    "Invoice",
    "InvoiceLine",
    "InvoiceNumberSequence",
    "InvoiceReminder",
    "LapseProposal",
    "Payment",
    "Invitation",
    "LanguagePreference",
    "language_of_contact",
    "languages_of",
    "Member",
    "MembershipCategory",
]
