"""Information exchanged with partners."""

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    InformationExchange,
)


@admin.register(InformationExchange)
class InformationExchangeAdmin(admin.ModelAdmin):
    list_display = ["title", "exchanged_on", "partner", "direction", "confidentiality", "download"]
    list_filter = ["direction", "confidentiality", "partner"]
    list_select_related = ["partner"]
    search_fields = ["title", "description", "partner__name"]
    date_hierarchy = "exchanged_on"
    autocomplete_fields = ["agreement"]
    # As for agreement documents: private storage has no URL, the download view checks access.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput(attrs={"accept": ".pdf"})}}
    readonly_fields = ["download"]

    @admin.display(description=_("download"))
    def download(self, exchange):
        if not exchange.pk or not exchange.attachment:
            return "—"
        url = reverse("agreements:exchange_attachment", args=[exchange.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))
