from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Min, When
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django_tasks_db.models import DBTaskResult, get_date_max

from agreements.apps import BRIEFINGS
from agreements.models import Briefing
from canto_portal.fragments import fragment
from members.access import ANYONE, RequiresAccess, requires
from members.apps import MEMBERS
from members.charts import members_by_country
from members.models import Member

HEALTH_CHECK_KEY = "portal:health-check"


@never_cache
@require_GET
@requires(ANYONE)
def healthz(request):
    """For load balancers and monitors: 200 when the database and the shared cache answer
    (every logged-in page needs both) and the worker keeps up with the background tasks
    (briefing emails), 503 otherwise. The answer names the failing part, never its details."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return unhealthy("database unavailable")
    try:
        cache.get(HEALTH_CHECK_KEY)
    except Exception:  # Each cache backend fails with errors of its own client library.
        return unhealthy("cache unavailable")
    waiting = oldest_pending_task_age()
    if waiting is not None and waiting > timedelta(seconds=settings.HEALTH_MAX_TASK_WAIT_SECONDS):
        return unhealthy("background tasks delayed")
    return HttpResponse("ok\n", content_type="text/plain")


def unhealthy(part):
    return HttpResponse(f"{part}\n", status=503, content_type="text/plain")


def oldest_pending_task_age() -> timedelta | None:
    """How long the longest-waiting task that is due has waited: since it was queued, or
    since the time it was queued to run after."""
    due_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(due_since))["oldest"]
    return None if oldest is None else timezone.now() - oldest


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
        "members_by_country": members_by_country(),
        # Briefings: the latest public ones.
        "latest_briefings": (
            Briefing.objects.published().public().order_by("-published_at", "-pk")[:3]
        ),
    }
