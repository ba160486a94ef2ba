"""The people of member organisations: contacts, their logins' invitations, board terms."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canto_portal.migration_helpers import SECRETARIAT_GROUP
from canto_portal.versions import WatchedQuerySet
from members.models.register import Member

# Roles that other apps hang from a contact, registered from their AppConfig.ready(): for a
# day, a condition on Contact rows that holds for the contacts holding that role then.
PRIVILEGED_ROLES: list[Callable[[datetime.date], Q | Exists]] = []


class ContactQuerySet(WatchedQuerySet):
    def of_active_members(self):
        return self.filter(member__status=Member.Status.ACTIVE)

    def for_dashboard(self):
        """A member's contacts as the dashboard lists them, with each one's login state."""
        pending = models.Prefetch(
            "invitations", queryset=Invitation.objects.pending(), to_attr="pending_invitations"
        )
        # Only whether a contact has a login shows: user_id, not the login's row.
        return self.prefetch_related(pending).order_by("name", "pk")

    def holding_privileged_role(self, on: datetime.date | None = None):
        """Contacts whose login opens more than their own organisation: a board term, current
        or still to come, a back-office (staff) login, or a role another app hangs from a
        contact (a council seat). Who controls their address and login controls that role, so
        only the Secretariat may change them."""
        on = on or timezone.localdate()
        board = BoardTerm.objects.filter(contact=OuterRef("pk")).not_over(on)
        back_office = Group.objects.filter(name=SECRETARIAT_GROUP, user=OuterRef("user"))
        condition: Q | Combinable = (
            Exists(board)
            | Q(user__is_staff=True)
            | Q(user__is_superuser=True)
            | Exists(back_office)
        )
        for held_on in PRIVILEGED_ROLES:
            condition |= held_on(on)
        return self.filter(condition)


class Contact(models.Model):
    """A person at a member organisation. Their login, if any, hangs from here."""

    class Role(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        BILLING = "billing", _("Billing")
        TECHNICAL = "technical", _("Technical")
        REGULATORY = "regulatory", _("Regulatory")
        OTHER = "other", _("Other")

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("member")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("login"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OTHER)
    is_member_admin = models.BooleanField(
        _("member admin"),
        default=False,
        help_text=_("May edit the organisation's profile and manage its contacts."),
    )
    receives_briefings = models.BooleanField(
        _("receives briefings by email"),
        default=True,
        help_text=_("Members-only briefings are emailed when published, unless this is off."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the emails sent to this contact. A login's own choice comes "
            "first; blank means the portal's default."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["member__name", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(role="primary"),
                name="contact_one_primary_per_member",
                violation_error_message=_("This member already has a primary contact."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="contact_unique_email",
                violation_error_message=_("Another contact already uses this email address."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.member})"

    def holds_privileged_role(self):
        return Contact.objects.holding_privileged_role().filter(pk=self.pk).exists()


class BoardTermQuerySet(WatchedQuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def not_over(self, on=None):
        """Current terms and those still to come."""
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class BoardTerm(models.Model):
    """A seat on CANTO's Board of Directors; today's board is derived from these."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        DIRECTOR = "director", _("Director")

    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="board_terms", verbose_name=_("contact")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DIRECTOR)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = BoardTermQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "role"]
        verbose_name = _("board term")
        verbose_name_plural = _("board terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="boardterm_ends_after_start",
                violation_error_message=_("A term must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.contact.name}, {self.get_role_display()}"

    @property
    def is_current(self):
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class InvitationQuerySet(WatchedQuerySet):
    def pending(self):
        """Invitations that can still be accepted: not used, not withdrawn, not expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def expired(self):
        """Invitations that ran out before anyone accepted them."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=timezone.now()
        )


class Invitation(models.Model):
    """A single-use link that lets a contact choose a password and get a login.

    Only a SHA-256 hash of the token is stored: the token itself exists in the email alone,
    so a copy of the database cannot be used to accept anyone's invitation."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("contact")
    )
    email = models.EmailField(_("sent to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("Set when a newer invitation replaces this one."),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self):
        return _("Invitation for %(email)s") % {"email": self.email}

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()
