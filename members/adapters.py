from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.urls import reverse

from members.roles import Roles


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
