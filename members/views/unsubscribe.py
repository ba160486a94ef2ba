"""The one-click unsubscribe page of briefing emails (members/unsubscribe.py)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from members import unsubscribe as briefing_emails
from members.access import ANYONE, requires


# The signed link is the credential: mail clients send the one-click POST (RFC 8058) without
# any cookie or form token. It can only switch that contact's briefing emails off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@requires(ANYONE)
def unsubscribe(request, token):
    """GET asks (link checkers in mail systems open every link, and must not unsubscribe
    anyone); POST, from the page's button or the mail client, unsubscribes."""
    contact = briefing_emails.contact_for_token(token)
    if contact is None:
        raise Http404(_("This unsubscribe link is not valid."))
    if request.method == "POST":
        briefing_emails.unsubscribe(contact=contact)
    return render(
        request,
        "members/unsubscribe.html",
        {"done": request.method == "POST", "email": contact.email},
    )
