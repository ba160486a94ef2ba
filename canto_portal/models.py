"""The portal's own tables that belong to no domain: the audit trail."""

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Set for the length of one transaction by `AuditEventQuerySet.prune`, the only path allowed to
# delete events; the PostgreSQL trigger (migration 0002) refuses any other UPDATE or DELETE.
PRUNE_SETTING = "canto.audit_prune"


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logout")
    SECOND_FACTOR_USED = "mfa_used", _("Second factor used")
    SECOND_FACTOR_ADDED = "mfa_added", _("Second factor added")
    SECOND_FACTOR_REMOVED = "mfa_removed", _("Second factor removed")
    SECOND_FACTOR_RESET = "mfa_reset", _("Second factor reset")
    DOWNLOAD = "download", _("Document downloaded")
    EXPORT = "export", _("Export")
    PRIVACY_EXPORT = "privacy_export", _("Personal data exported")
    PRIVACY_ANONYMISE = "privacy_anonymise", _("Contact anonymised")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly(_("Audit events cannot be changed."))

    def delete(self):
        raise AuditLogIsAppendOnly(_("Audit events cannot be deleted, only pruned by age."))

    def prune(self, *, before) -> int:
        """Deletes the events recorded before `before`: the retention rule, and the only
        delete the audit trail allows."""
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, 'on', true)", [PRUNE_SETTING])
            cursor.execute(f"DELETE FROM {table} WHERE at < %s", [before])
            return cursor.rowcount


class AuditEvent(models.Model):
    """Who did what to which object, when, and from where. Rows are only ever added; they
    name objects by type and key, never by their text, so that anonymising a person leaves
    nothing of them here but a number."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True, editable=False)
    action = models.CharField(_("what"), max_length=30, choices=AuditAction.choices)
    # No database constraint and no cascade: deleting a login must neither fail on, nor
    # change, the events it left.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object key"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly(_("Audit events cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly(_("Audit events cannot be deleted, only pruned by age."))
