from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

import agreements.attention  # noqa: F401 (registers the attention panels' providers)
import members.attention  # noqa: F401 (registers the attention panels' providers)
from canto_portal import views
from members.views.preferences import set_language

admin.site.site_header = _("CANTO Secretariat")
admin.site.site_title = _("CANTO Portal")
admin.site.index_title = _("Back office")
# The admin's own login form asks only for a password; sending it to allauth's login makes the
# Secretariat pass the second factor there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("agreements.urls")),
    path("", include("members.urls")),
]

if settings.BENCHMARK_BASELINE:
    urlpatterns.append(path("bench/baseline", views.baseline))
