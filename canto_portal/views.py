from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from agreements.apps import BRIEFINGS
from agreements.models import Briefing
from canto_portal.fragments import fragment
from members.access import ANYONE, RequiresAccess, requires
from members.apps import MEMBERS
from members.models import Member

HEALTH_CHECK_KEY = "portal:health-check"


@never_cache
@require_GET
@requires(ANYONE)
def healthz(request):
    """For load balancers and monitors: 200 when the database and the shared cache answer
    (every logged-in page needs both), 503 when either does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    try:
        cache.get(HEALTH_CHECK_KEY)
    except Exception:  # Each cache backend fails with errors of its own client library.
        return HttpResponse("cache unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@requires(ANYONE)
def baseline(request):
    """The benchmark's yardstick: the full middleware stack and nothing else."""
    return HttpResponse("baseline\n", content_type="text/plain")


class HomeView(RequiresAccess, TemplateView):
    """Public: says what CANTO is. Of the register, only the counts are public."""

    access_rule = ANYONE
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["introduction"] = fragment(
            "home", "includes/home.html", home_figures, shows=[MEMBERS, BRIEFINGS]
        )
        return context


def home_figures():
    current = Member.objects.current()
    return {
        "member_count": current.count(),
        "country_count": current.values("country").distinct().count(),
        # Briefings: the latest public ones.
        "latest_briefings": (
            Briefing.objects.published().public().order_by("-published_at", "-pk")[:3]
        ),
    }
