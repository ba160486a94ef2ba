"""One-click unsubscribe from briefing emails (RFC 8058): every briefing carries a signed
link, the contact's own, that turns off "receives briefings by email" without a login.

The link names the contact and nothing else, signed with the site's key; it does not expire,
because a person must be able to stop emails from an old message too. All it can do is stop
emails to that one contact."""

from django.core import signing
from django.urls import reverse

from canto_portal.links import absolute_url
from members.models import Contact

SALT = "members.unsubscribe"


def unsubscribe_token(contact: Contact) -> str:
    return signing.Signer(salt=SALT).sign(str(contact.pk))


def unsubscribe_headers(contact: Contact) -> dict[str, str]:
    """The headers that let a mail client offer its own unsubscribe button."""
    url = absolute_url(reverse("members:unsubscribe", args=[unsubscribe_token(contact)]))
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def contact_for_token(token: str) -> Contact | None:
    try:
        pk = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Contact.objects.filter(pk=pk).first()


def unsubscribe(*, contact: Contact) -> None:
    Contact.objects.filter(pk=contact.pk).update(receives_briefings=False)
