import copy
from functools import wraps

from django.contrib import admin
from django.urls import get_script_prefix
from django.utils.translation import get_language

from canto_portal.models import AuditEvent

# Distinct permission sets and languages whose lists a process keeps: a handful in practice.
KEPT_APP_LISTS = 64


def app_list_per_permissions(get_app_list):
    """Every back-office page builds the list of apps and models (each_context), and the index
    twice; building it checks four permissions and reverses two addresses for each model, a
    fifth of the index's time. The list depends on nothing but the login's permissions, the
    language and the script prefix (no ModelAdmin decides on anything else without an object),
    so each process builds it once for each of those, and each request gets its own copy."""
    lists: dict[tuple, list[dict]] = {}

    @wraps(get_app_list)
    def per_permissions(request, app_label=None):
        if app_label is not None:
            return get_app_list(request, app_label)
        if not hasattr(request, "admin_app_list"):
            user = request.user
            signature = (
                user.is_active,
                user.is_staff,
                user.is_superuser,
                frozenset(user.get_all_permissions()),
                get_language(),
                get_script_prefix(),
            )
            if signature not in lists:
                if len(lists) >= KEPT_APP_LISTS:
                    lists.clear()
                lists[signature] = get_app_list(request)
            request.admin_app_list = copy.deepcopy(lists[signature])
        return request.admin_app_list

    return per_permissions


admin.site.get_app_list = app_list_per_permissions(admin.site.get_app_list)  # type: ignore[method-assign]


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
