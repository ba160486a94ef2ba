"""Roles are read from data (DOMAIN.md), never ticked by hand: group membership for the
Secretariat, a current BoardTerm for the Board, a Contact for member operators."""

from dataclasses import dataclass
from functools import cached_property

from django.utils.functional import SimpleLazyObject

SECRETARIAT_GROUP = "Secretariat"


@dataclass
class Roles:
    user: object

    @cached_property
    def contact(self):
        if not self.user.is_authenticated:
            return None
        from members.models import Contact

        return (
            Contact.objects.select_related("member", "member__category")
            .filter(user=self.user)
            .first()
        )

    @cached_property
    def is_secretariat(self):
        user = self.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return False
        return user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists()

    @cached_property
    def is_board_member(self):
        from members.models import BoardTerm

        return (
            bool(self.contact) and BoardTerm.objects.current().filter(contact=self.contact).exists()
        )

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


def roles_for(request):
    """The roles of the request's user, worked out at most once per request."""
    if not hasattr(request, "_roles"):
        request._roles = Roles(request.user)
    return request._roles


def lazy_roles(request):
    return SimpleLazyObject(lambda: roles_for(request))
