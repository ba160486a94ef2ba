"""The member register's pictures: members by country, joined and left per year, dues
invoiced against collected per year. Each gives a chart (canto_portal/charts.py) whose rows
are the same numbers as its drawing."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from canto_portal.charts import Chart, bar_chart, line_chart
from members.models import Dues, Member

FOUNDED = 1985


def members_by_country() -> Chart:
    """Active members per country, most first: every country that has one."""
    counts = (
        Member.objects.active()
        .values("country")
        .annotate(members=Count("pk"))
        .order_by("-members", "country")
    )
    return bar_chart(
        slug="members-by-country",
        title=_("Active members by country"),
        heading=_("Country"),
        series=[_("Members")],
        bars=[(countries.name(row["country"]), [row["members"]]) for row in counts],
    )


def members_joined_and_left() -> Chart:
    """Members who joined and who left (lapsed or resigned) each year since the founding."""
    joined = dict(
        Member.objects.values(year=ExtractYear("joined_on"))
        .annotate(count=Count("pk"))
        .values_list("year", "count")
    )
    left = dict(
        Member.objects.filter(status__in=[Member.Status.LAPSED, Member.Status.RESIGNED])
        .values(year=ExtractYear("status_changed_on"))
        .annotate(count=Count("pk"))
        .values_list("year", "count")
    )
    years = range(FOUNDED, timezone.localdate().year + 1)
    return line_chart(
        slug="members-joined-and-left",
        title=_("Members joined and left per year"),
        heading=_("Year"),
        series=[_("Joined"), _("Left")],
        points=[(year, [joined.get(year, 0), left.get(year, 0)]) for year in years],
    )


def dues_invoiced_and_collected() -> Chart:
    """Dues invoiced and collected (paid) per year, in USD."""
    rows = (
        Dues.objects.values("year")
        .annotate(
            invoiced=Sum("amount", filter=~Q(status=Dues.Status.WAIVED)),
            collected=Sum("amount", filter=Q(status=Dues.Status.PAID)),
        )
        .order_by("year")
    )
    return line_chart(
        slug="dues-invoiced-and-collected",
        title=_("Dues invoiced and collected per year (USD)"),
        heading=_("Year"),
        series=[_("Invoiced"), _("Collected")],
        points=[
            (row["year"], [int(row["invoiced"] or 0), int(row["collected"] or 0)]) for row in rows
        ],
    )
