"""The record of alerts sent, read-only."""

from django.contrib import admin

from agreements.models import (
    SentAlert,
)


@admin.register(SentAlert)
class SentAlertAdmin(admin.ModelAdmin):
    """The record of alerts sent by send_alerts: read-only, it is what keeps them once only."""

    list_display = ["key", "sent_at", "recipients"]
    search_fields = ["key", "recipients"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
