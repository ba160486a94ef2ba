"""The members app's business rules, one module per sub-domain, re-exported here."""

from members.services.people import (
    ContactChangeRefused,
    InvalidInvitation,
    InvitationError,
    accept_invitation,
    email_change_refusal,
    hash_token,
    invitation_for_token,
    invitation_refusal,
    invite,
    new_user_for,
    remove_contact,
    reserved_to_secretariat,
    save_contact,
    send_invitation_email,
)
from members.services.preferences import save_language

__all__ = [
    "accept_invitation",
    "ContactChangeRefused",
    "email_change_refusal",
    "hash_token",
    "InvalidInvitation",
    "invitation_for_token",
    "invitation_refusal",
    "InvitationError",
    "invite",
    "new_user_for",
    "remove_contact",
    "reserved_to_secretariat",
    "save_contact",
    "save_language",
    "send_invitation_email",
]
