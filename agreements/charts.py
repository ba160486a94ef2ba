"""The register's pictures: agreements as spans from their effective date to their expiry,
and commitments by status per agreement, for the Board and the Secretariat."""

import datetime

from django.db.models import Count
from django.utils.translation import gettext as _

from agreements.models import Agreement, Commitment
from canto_portal.charts import Chart, Span, bar_chart, spans_chart


def agreement_spans(today: datetime.date) -> Chart:
    agreements = Agreement.objects.filter(effective_from__isnull=False).order_by(
        "effective_from", "reference"
    )
    return spans_chart(
        slug="agreement-spans",
        title=_("Agreements from their effective date to their expiry"),
        heading=_("Agreement"),
        spans=[
            Span(
                agreement.reference,
                agreement.effective_from,  # type: ignore[arg-type]  # filtered: not null
                agreement.expires_on,
                agreement.get_absolute_url(),
            )
            for agreement in agreements.only("reference", "effective_from", "expires_on")
        ],
        today=today,
    )


def commitments_by_status() -> Chart:
    statuses = Commitment.Status
    counts: dict[str, dict[str, int]] = {}
    for row in (
        Commitment.objects.values("agreement__reference", "status")
        .annotate(count=Count("pk"))
        .order_by("agreement__reference")
    ):
        counts.setdefault(row["agreement__reference"], {})[row["status"]] = row["count"]
    return bar_chart(
        slug="commitments-by-status",
        title=_("Commitments by status per agreement"),
        heading=_("Agreement"),
        series=[str(label) for _value, label in statuses.choices],
        bars=[
            (reference, [by_status.get(value, 0) for value in statuses.values])
            for reference, by_status in counts.items()
        ],
    )
