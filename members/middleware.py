from django.contrib import messages
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from members.roles import roles_for

# Pages a login without a second factor may still open: the account and MFA pages (where it
# is set up, and logout), the language switch, the health check, the public home page and
# invitation links. Everything else, the admin included, waits until MFA is on.
EXEMPT_URL_NAME_PREFIXES = ("account_", "mfa_")
EXEMPT_URL_NAMES = {"set_language", "healthz", "home", "members:invitation", "admin:logout"}


class MFARequiredMiddleware:
    """Sends back-office logins and board members to set up an authenticator app before they
    use the portal. Member operators may add one, but are not made to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or is_exempt(request.resolver_match):
            return None
        roles = roles_for(request)
        if not roles.requires_mfa or roles.has_mfa:
            return None
        messages.warning(
            request,
            _(
                "Your role in the portal needs two-factor authentication. Set up an "
                "authenticator app to continue."
            ),
        )
        return redirect("mfa_activate_totp")


def is_exempt(match):
    if match is None or not match.url_name:
        return False
    if match.view_name in EXEMPT_URL_NAMES:
        return True
    # allauth's URLs are not namespaced; an app's "account_…" name would be.
    return not match.namespace and match.url_name.startswith(EXEMPT_URL_NAME_PREFIXES)


class PrivateCacheControlMiddleware:
    """Marks every response to a logged-in visitor `private, no-store`: pages, exports and
    downloads show what that login may see, so neither a shared proxy nor the browser's disk
    may keep them. `Vary: Cookie` alone lets a proxy that ignores Vary serve them to others."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
