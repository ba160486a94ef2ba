"""The back office's index, the Secretariat's dashboard (agreements/templatetags/dashboard.py),
kept whole per login (canto_portal/admin_pages.py) until the data its counts and the login's
action items read changes, or until the first of those counts stops holding (an invitation
expiring)."""

from functools import wraps

from django.contrib import admin

import agreements.attention  # noqa: F401 (the providers must be registered to be asked)
from agreements.apps import ACTION_ITEMS
from canto_portal.admin_pages import kept_admin_page
from canto_portal.attention import SECRETARIAT, scopes_of
from members.apps import LOGINS


def kept_per_login(index):
    @wraps(index)
    def kept_index(request, extra_context=None):
        # Today's index, as the Secretariat opens it; another day (?on=) is counted afresh.
        if not request.GET:
            page = kept_admin_page(
                "admin-index",
                request,
                lambda context: index(request, {**(extra_context or {}), **context}),
                shows=[*scopes_of(SECRETARIAT), ACTION_ITEMS, LOGINS],
            )
            if page:
                return page
        return index(request, extra_context)

    return kept_index


admin.site.index = kept_per_login(admin.site.index)  # type: ignore[method-assign]
