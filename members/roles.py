"""Roles are read from data (docs/domain.md), never ticked by hand: group membership for the
Secretariat, a current BoardTerm for the Board, a Contact for member operators."""

from dataclasses import dataclass
from functools import cached_property
from typing import TypedDict

from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject

from canto_portal.fragments import cached
from canto_portal.migration_helpers import SECRETARIAT_GROUP
from members.apps import LOGINS, MEMBERS


@dataclass(frozen=True)
class Login:
    """A login by its key: all that the roles cached for it are computed from."""

    pk: int


@dataclass
class Roles:
    user: object

    @cached_property
    def contact(self):
        if not self.user.is_authenticated:
            return None
        # Every page a login opens asks for its roles: they come from the shared cache, which
        # forgets them whenever a contact, member, board term, group or authenticator changes.
        return cached(
            "roles-contact", login_contact, key=Login(self.user.pk), shows=[MEMBERS, LOGINS]
        )

    @cached_property
    def _staff_row(self):
        return cached("roles-staff", staff_row, key=Login(self.user.pk), shows=[LOGINS])

    @cached_property
    def is_secretariat(self):
        user = self.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return False
        return user.is_superuser or self._staff_row["in_secretariat"]

    @cached_property
    def has_mfa(self):
        """Whether the login has a second factor. Read from the row the role checks load
        anyway, so that the MFA requirement costs no query of its own on each page."""
        if not self.user.is_authenticated:
            return False
        if self.is_back_office_login:
            return self._staff_row["has_mfa"]
        return bool(self.contact and self.contact.user_has_mfa)

    @property
    def is_board_member(self):
        return bool(self.contact) and self.contact.on_board

    @property
    def member(self):
        return self.contact.member if self.contact else None

    @property
    def is_member_operator(self):
        from members.models import Member

        return bool(self.contact) and self.contact.member.status == Member.Status.ACTIVE

    @property
    def is_member_admin(self):
        return self.is_member_operator and self.contact.is_member_admin

    @property
    def may_see_register(self):
        return self.is_secretariat or self.is_board_member

    @property
    def may_use_portal(self):
        """Contacts of suspended or lapsed members still log in to /portal/ and see why they
        have no benefits; a resigned member's contacts have nothing left there."""
        from members.models import Member

        return bool(self.contact) and self.contact.member.status != Member.Status.RESIGNED

    @property
    def may_use_directory(self):
        return self.is_member_operator or self.is_board_member or self.is_secretariat

    @property
    def is_back_office_login(self):
        """A login that may open the admin, or would with a flag ticked: whatever its groups
        or permissions, which may be granted one by one."""
        return self.user.is_authenticated and (self.user.is_staff or self.user.is_superuser)

    @property
    def requires_mfa(self):
        """Board members see confidential agreements, and every back-office login can reach
        the admin: their logins must have a second factor."""
        return self.is_back_office_login or self.is_board_member


def login_contact(login: Login):
    """The login's contact, with its member, in one query with board membership and the MFA
    state: every page asks for both."""
    from members.models import BoardTerm, Contact

    on_board = BoardTerm.objects.current().filter(contact=OuterRef("pk"))
    return (
        Contact.objects.select_related("member", "member__category")
        .annotate(user_has_mfa=second_factor_exists("user"), on_board=Exists(on_board))
        .filter(user_id=login.pk)
        .first()
    )


class StaffRow(TypedDict):
    in_secretariat: bool
    has_mfa: bool


def staff_row(login: Login) -> StaffRow:
    """Secretariat membership and MFA state of a staff login, in one query."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    in_group = Group.objects.filter(name=SECRETARIAT_GROUP, user=OuterRef("pk"))
    return (
        get_user_model()
        .objects.filter(pk=login.pk)
        .annotate(in_secretariat=Exists(in_group), has_mfa=second_factor_exists("pk"))
        .values("in_secretariat", "has_mfa")
        .first()
    ) or {"in_secretariat": False, "has_mfa": False}


def second_factor_exists(user_ref):
    """An authenticator app or security key for the login at `user_ref` of the outer row;
    recovery codes alone are only a fallback for those, so they do not count."""
    from allauth.mfa.models import Authenticator

    authenticators = Authenticator.objects.filter(user=OuterRef(user_ref))
    return Exists(authenticators.exclude(type=Authenticator.Type.RECOVERY_CODES))


def roles_for(request):
    """The roles of the request's user, worked out at most once per request."""
    if not hasattr(request, "_roles"):
        request._roles = Roles(request.user)
    return request._roles


def lazy_roles(request):
    return SimpleLazyObject(lambda: roles_for(request))
