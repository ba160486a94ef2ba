from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.register import (
    Agreement,
    Confidentiality,
    Partner,
    private_storage,
    stored_pdf_name,
)
from agreements.validators import validate_pdf


def exchange_path(instance, filename):
    return stored_pdf_name(f"exchanges/{instance.exchanged_on:%Y}")


class InformationExchange(models.Model):
    """Industry information sent to or received from a partner."""

    class Direction(models.TextChoices):
        SENT = "sent", _("Sent to partner")
        RECEIVED = "received", _("Received from partner")

    title = models.CharField(_("title"), max_length=200)
    exchanged_on = models.DateField(_("date"), default=timezone.localdate)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="information_exchanges",
        verbose_name=_("partner"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_exchanges",
        verbose_name=_("agreement"),
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    description = models.TextField(_("description"), blank=True)
    attachment = models.FileField(
        _("attachment (PDF)"),
        storage=private_storage,
        upload_to=exchange_path,
        validators=[validate_pdf],
        blank=True,
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.BOARD,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-exchanged_on", "title"]
        verbose_name = _("information exchange")
        verbose_name_plural = _("information exchanges")

    def __str__(self):
        return self.title
