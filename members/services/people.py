"""Contacts' identities: their address, their invitation and their login.

Invitations are the only way a login comes into being (the portal has no open signup). The
Secretariat (or a member admin, for their own organisation) invites a Contact; the contact
receives a single-use link, chooses a password, and gets a login linked to that contact.

Roles hang from contacts, so whoever sets a contact's address and invites it chooses who holds
its roles. For a contact on the Board, on a council seat or in the back office, only the
Secretariat may do that (docs/security.md)."""

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canto_portal.links import absolute_url
from canto_portal.mail import email_message
from members.models import Contact, Invitation, Member, language_of_contact
from members.roles import Roles


class InvitationError(Exception):
    """The contact cannot be invited; the message says why, for the person who tried."""


class ContactChangeRefused(Exception):
    """The contact cannot be changed or removed by this person; the message says why."""


class InvalidInvitation(Exception):
    """The link cannot be used. `reason` is one of REASONS; views pick the page from it."""

    INVALID = "invalid"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def reserved_to_secretariat(*, contact: Contact, by) -> str | None:
    """Why `by` may not set who `contact` is (address, invitation, login, removal), or None
    when they may. `by` is None when nobody known acted, which proves no authority."""
    if by is not None and Roles(by).is_secretariat:
        return None
    if contact.holds_privileged_role():
        return _(
            "%(name)s holds a role on the Board, on a council seat or in the Secretariat; "
            "only the Secretariat may change their address, invite or remove them."
        ) % {"name": contact.name}
    return None


def email_change_refusal(*, contact: Contact, by) -> str | None:
    """Why `by` may not change the contact's address, or None when they may.

    A login keeps its own address whatever happens to the contact's (the login is a person's,
    the contact row is the organisation's), so only the Secretariat may let the two differ."""
    if contact.user_id and not (by is not None and Roles(by).is_secretariat):
        return _("This address is the contact's login. Ask the Secretariat to change it.")
    return reserved_to_secretariat(contact=contact, by=by)


@transaction.atomic
def save_contact(*, contact: Contact, by) -> Contact:
    """Saves a contact added or edited by `by`. A new address withdraws the pending
    invitations, which went to the old one."""
    if contact.pk:
        stored = Contact.objects.select_for_update().get(pk=contact.pk)
        if stored.email != contact.email:
            if refusal := email_change_refusal(contact=stored, by=by):
                raise ContactChangeRefused(refusal)
            stored.invitations.pending().update(revoked_at=timezone.now())
    contact.save()
    return contact


@transaction.atomic
def remove_contact(*, contact: Contact, by) -> None:
    """Removes a contact from its organisation. Their login, if any, is switched off rather
    than deleted, so the history of what they did keeps its author."""
    if refusal := reserved_to_secretariat(contact=contact, by=by):
        raise ContactChangeRefused(refusal)
    user = contact.user
    try:
        contact.delete()
    except ProtectedError:
        # Past board terms and seats keep their holder: the record of who sat there stays.
        raise ContactChangeRefused(
            _("%(name)s has held a board term or a council seat; ask the Secretariat.")
            % {"name": contact.name}
        ) from None
    if user is not None and not user.is_staff:
        user.is_active = False
        user.save(update_fields=["is_active"])


def invitation_refusal(contact, *, by):
    """Why `by` cannot invite this contact now, or None when they can."""
    if contact.user_id:
        return _("%(name)s already has a login.") % {"name": contact.name}
    if contact.member.status == Member.Status.RESIGNED:
        return _("%(member)s has resigned; its contacts cannot be invited.") % {
            "member": contact.member.name
        }
    if get_user_model().objects.filter(username__iexact=contact.email).exists():
        return _(
            "A login with the address %(email)s already exists; link it to the contact "
            "in the back office instead."
        ) % {"email": contact.email}
    return reserved_to_secretariat(contact=contact, by=by)


@transaction.atomic
def invite(contact, *, invited_by):
    """Creates an invitation for `contact`, emails it and returns it; its `token` attribute
    holds the secret part of the link (never stored). A newer invitation replaces older ones.

    Raises InvitationError when the contact cannot be invited. The email is sent inside the
    transaction: when sending fails, no invitation is recorded and the caller can retry."""
    contact = Contact.objects.select_for_update().select_related("member").get(pk=contact.pk)
    if refusal := invitation_refusal(contact, by=invited_by):
        raise InvitationError(refusal)
    now = timezone.now()
    contact.invitations.pending().update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        contact=contact,
        email=contact.email,
        token_hash=hash_token(token),
        invited_by=invited_by if invited_by and invited_by.is_authenticated else None,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_EXPIRY_DAYS),
    )
    invitation.token = token
    send_invitation_email(invitation)
    return invitation


def send_invitation_email(invitation):
    path = reverse("members:invitation", args=[invitation.token])
    context = {
        "invitation": invitation,
        "contact": invitation.contact,
        "member": invitation.contact.member,
        "accept_url": absolute_url(path),
        "expiry_days": settings.INVITATION_EXPIRY_DAYS,
    }
    email_message(
        to=[invitation.email],
        language=language_of_contact(invitation.contact),
        subject=gettext_lazy("Your invitation to the CANTO Portal"),
        template="emails/invitation",
        context=context,
    ).send()


def invitation_for_token(token, lock=False):
    """The invitation this token opens, or InvalidInvitation saying why it opens none."""
    invitations = Invitation.objects.select_related("contact", "contact__member")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=hash_token(token or "")).first()
    if invitation is None:
        raise InvalidInvitation(InvalidInvitation.INVALID)
    if invitation.accepted_at:
        raise InvalidInvitation(InvalidInvitation.USED)
    if invitation.revoked_at:
        raise InvalidInvitation(InvalidInvitation.REVOKED)
    if invitation.is_expired:
        raise InvalidInvitation(InvalidInvitation.EXPIRED)
    if invitation.contact.user_id:
        # The contact got a login some other way since: the link has nothing left to do.
        raise InvalidInvitation(InvalidInvitation.USED)
    if invitation.email.lower() != invitation.contact.email.lower() or reserved_to_secretariat(
        contact=invitation.contact, by=invitation.invited_by
    ):
        # The contact's address changed since, or the contact took up a role that only the
        # Secretariat may give a login to: whoever holds this link is not known to be them.
        raise InvalidInvitation(InvalidInvitation.REVOKED)
    return invitation


def new_user_for(contact):
    """An unsaved login for the contact, for password validation and then saving."""
    User = get_user_model()
    first, _sep, last = contact.name.partition(" ")
    return User(
        username=contact.email.lower(),
        email=contact.email.lower(),
        first_name=first[:150],
        last_name=last[:150],
    )


@transaction.atomic
def accept_invitation(token, password):
    """Creates the contact's login with `password`, a verified primary email address, links
    it to the contact and marks the invitation used; returns the new user.

    All of it happens in one transaction, with the invitation row locked, so two tabs posting
    the same link cannot create two logins. Raises InvalidInvitation and changes nothing
    when the link cannot be used."""
    invitation = invitation_for_token(token, lock=True)
    contact = invitation.contact
    if refusal := invitation_refusal(contact, by=invitation.invited_by):
        raise InvalidInvitation(InvalidInvitation.USED) from InvitationError(refusal)
    user = new_user_for(contact)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    contact.user = user
    contact.save(update_fields=["user", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user
