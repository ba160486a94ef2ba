from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from canto_portal.links import absolute_url
from canto_portal.mail import portal_domain, portal_headers
from members.roles import Roles


@dataclass(frozen=True)
class PortalSite:
    """What allauth's emails name as the site: the portal and its public domain, never the
    host a request happened to name."""

    name: str
    domain: str


def on_portal_url(url: str) -> str:
    """`url`, built by allauth from the request, moved onto PORTAL_URL."""
    parts = urlsplit(url)
    return absolute_url(f"{parts.path}?{parts.query}" if parts.query else parts.path)


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Accounts are created from invitations sent by the Secretariat, never by open signup."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """Where each role works: contacts on their dashboard, the Secretariat in the admin.
        A `next` parameter still wins; allauth checks it before asking here."""
        roles = Roles(request.user)
        if roles.may_use_portal:
            return reverse("members:portal")
        if roles.is_secretariat:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def send_mail(self, template_prefix, email, context):
        """allauth's emails (login codes, password resets, address confirmations) name the
        portal and its public address, as the portal's own emails do."""
        site = PortalSite(name="CANTO Portal", domain=portal_domain())
        super().send_mail(template_prefix, email, {**context, "current_site": site})

    def render_mail(self, template_prefix, email, context, headers=None):
        language = translation.get_language() or settings.LANGUAGE_CODE
        message = super().render_mail(
            template_prefix,
            email,
            context,
            headers=portal_headers(language=language, headers=headers),
        )
        message.reply_to = [settings.SECRETARIAT_EMAIL]
        return message

    def get_reset_password_from_key_url(self, key):
        return on_portal_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_portal_url(super().get_email_confirmation_url(request, emailconfirmation))

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed logins count per account, from all addresses together (ACCOUNT_RATE_LIMITS):
        the key is the login's address alone. allauth's own begins with the host the request
        names, which would give a guesser a fresh count for each of the portal's host names,
        or each port written after one."""
        return credentials.get("email", credentials.get("username", "")).lower()


class PortalMFAAdapter(DefaultMFAAdapter):
    """Those who must use MFA (Secretariat, board) cannot switch off their last factor."""

    def can_delete_authenticator(self, authenticator):
        if authenticator.type == Authenticator.Type.TOTP and Roles(authenticator.user).requires_mfa:
            return False
        return super().can_delete_authenticator(authenticator)
