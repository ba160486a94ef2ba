"""The login of each request, read from the shared cache (issue 8).

Django loads the user row on every request of a logged-in visitor. These backends keep it
in the cache under the portal's data version (canto_portal/fragments.py), which any change to
a login renews, except the `last_login` stamp written at each login. A changed password,
a deactivated or deleted login is therefore read again from the database on the next
request, and sessions made with an old password stop working as before. The same holds for
its permissions."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from canto_portal.fragments import cached


class CachedLoginMixin:
    def get_user(self, user_id):
        load = super().get_user
        return cached("login", lambda: load(user_id), vary_on=(user_id,))

    def get_all_permissions(self, user_obj, obj=None):
        """The login's permissions, its own and its groups', from the cache: the admin asks
        for them on every page. The data version covers grants to logins and groups."""
        if obj is None and user_obj.is_active and not hasattr(user_obj, "_perm_cache"):
            load = super().get_all_permissions
            user_obj._perm_cache = cached(
                "login-permissions", lambda: load(user_obj), vary_on=(user_obj.pk,)
            )
        return super().get_all_permissions(user_obj, obj)


class CachedModelBackend(CachedLoginMixin, ModelBackend):
    pass


class CachedAllauthBackend(CachedLoginMixin, AuthenticationBackend):
    pass
