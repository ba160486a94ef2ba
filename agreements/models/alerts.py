from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canto_portal.versions import WatchedQuerySet


class SentAlert(models.Model):
    """Remembers each alert that went out, so the daily run never sends the same one twice."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("recipients"), blank=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent alert")
        verbose_name_plural = _("sent alerts")

    def __str__(self):
        return self.key
