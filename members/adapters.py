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
        """The failed-login limit per account counts each client address apart: wrong
        passwords sent from elsewhere must not lock the real person out (a director before a
        vote). A guesser is still stopped by the per-address limit in ACCOUNT_RATE_LIMITS,
        and those whose login opens confidential pages need a second factor anyway."""
        login = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{self.get_client_ip(request)}:{login}"


class PortalMFAAdapter(DefaultMFAAdapter):
    """Those who must use MFA (Secretariat, board) cannot switch off their last factor."""

    def can_delete_authenticator(self, authenticator):
        if authenticator.type == Authenticator.Type.TOTP and Roles(authenticator.user).requires_mfa:
            return False
        return super().can_delete_authenticator(authenticator)
