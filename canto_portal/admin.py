from functools import wraps

from django.contrib import admin

from canto_portal.models import AuditEvent


def app_list_once_per_request(get_app_list):
    """The back office's index asks for the list of apps and models twice, once for itself and
    once for every page's context (each_context), and building it checks a permission for
    each model: the first list built for a request serves the second."""

    @wraps(get_app_list)
    def once(request, app_label=None):
        if app_label is not None:
            return get_app_list(request, app_label)
        if not hasattr(request, "admin_app_list"):
            request.admin_app_list = get_app_list(request)
        return request.admin_app_list

    return once


admin.site.get_app_list = app_list_once_per_request(admin.site.get_app_list)  # type: ignore[method-assign]


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
