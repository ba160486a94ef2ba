"""Each login's permissions, read from the shared cache.

The admin asks for a login's permissions on every page. These backends keep their names in
the cache under the version of the logins' data (members/apps.py), which any grant to a
login or a group renews. Only the names are kept: the login's row, whose password hash and
session hash must never reach the shared cache, is read from the database on each request."""

from dataclasses import dataclass

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from canto_portal.fragments import cached
from members.apps import LOGINS


@dataclass(frozen=True)
class PermissionHolder:
    """What a login's permissions depend on: the login, and whether it is a superuser (who
    holds them all). An inactive login holds none and is never looked up."""

    login: int
    is_superuser: bool


def permission_names(holder: PermissionHolder) -> set[str]:
    """The "app_label.codename" of every permission the login holds, its own and its groups'."""
    login = get_user_model()(pk=holder.login, is_active=True, is_superuser=holder.is_superuser)
    return ModelBackend().get_all_permissions(login)


class CachedPermissionsMixin:
    def get_all_permissions(self, user_obj, obj=None):
        if obj is None and user_obj.is_active and not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = cached(
                "login-permissions",
                permission_names,
                key=PermissionHolder(user_obj.pk, user_obj.is_superuser),
                shows=[LOGINS],
            )
        return super().get_all_permissions(user_obj, obj)


class CachedModelBackend(CachedPermissionsMixin, ModelBackend):
    pass


class CachedAllauthBackend(CachedPermissionsMixin, AuthenticationBackend):
    pass
