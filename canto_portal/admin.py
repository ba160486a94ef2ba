from django.contrib import admin

from canto_portal.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only for everyone, superusers included: the model and, on
    PostgreSQL, the database refuse changes anyway."""

    list_display = ["at", "action", "actor", "object_type", "object_id", "client_address"]
    list_filter = ["action", "at"]
    search_fields = ["object_type", "object_id", "detail", "client_address", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
