"""The Secretariat's money reports: the ageing of open balances (by member, by country) and
what was invoiced against what was collected, per year; each as a page, CSV or XLSX."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Invoice, Payment

AGEING_BUCKETS = [
    (_("Current"), None),
    (_("1–30 days"), 30),
    (_("31–60 days"), 60),
    (_("61–90 days"), 90),
    (_("Over 90 days"), None),
]


@dataclass
class Table:
    title: str | Promise
    headers: list
    rows: list[list] = field(default_factory=list)
    totals: list | None = None


def bucket(days_overdue: int) -> int:
    if days_overdue <= 0:
        return 0
    for index, (_label, limit) in enumerate(AGEING_BUCKETS[1:-1], start=1):
        if limit is not None and days_overdue <= limit:
            return index
    return len(AGEING_BUCKETS) - 1


def ageing(*, today: datetime.date, by: str) -> Table:
    """Open balances grouped by member or by country and by how long they are overdue."""
    groups: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal("0")] * len(AGEING_BUCKETS))
    for invoice in Invoice.objects.open().select_related("member"):
        group = invoice.member.name if by == "member" else invoice.member.country.name
        amounts = groups[(group, invoice.currency)]
        amounts[bucket((today - invoice.due_on).days)] += invoice.balance_due
    label = _("Member") if by == "member" else _("Country")
    headers = [label, _("Currency"), *(name for name, _limit in AGEING_BUCKETS), _("Total")]
    rows = [
        [group, currency, *amounts, sum(amounts)]
        for (group, currency), amounts in sorted(groups.items())
    ]
    columns = len(AGEING_BUCKETS) + 1
    totals = [_("Total"), ""] + [sum(row[2 + i] for row in rows) for i in range(columns)]
    title = (
        _("Ageing of open balances by member")
        if by == "member"
        else _("Ageing of open balances by country")
    )
    return Table(title, headers, rows, totals)


def invoiced_and_collected(*, today: datetime.date) -> Table:
    """Per year and currency: invoiced (void invoices left out), waived, collected, open."""
    invoiced = (
        Invoice.objects.filter(voided_on__isnull=True)
        .values("year", "currency")
        .annotate(amount=Sum("total"))
        .order_by()
    )
    waived = (
        Invoice.objects.filter(waived_on__isnull=False)
        .values("year", "currency")
        .annotate(amount=Sum("total"))
        .order_by()
    )
    collected = (
        Payment.objects.values("invoice__year", "currency")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    rows: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal("0")] * 3)
    for row in invoiced:
        rows[(row["year"], row["currency"])][0] = row["amount"]
    for row in waived:
        rows[(row["year"], row["currency"])][1] = row["amount"]
    for paid_row in collected:
        rows[(paid_row["invoice__year"], paid_row["currency"])][2] = paid_row["amount"]
    table_rows = []
    for (year, currency), (amount, waived_amount, paid) in sorted(rows.items(), reverse=True):
        rate = f"{paid / (amount - waived_amount) * 100:.0f} %" if amount > waived_amount else "—"
        table_rows.append([year, currency, amount, waived_amount, paid, rate])
    headers = [
        _("Year"),
        _("Currency"),
        _("Invoiced"),
        _("Waived"),
        _("Collected"),
        _("Collected share"),
    ]
    return Table(_("Invoiced and collected per year"), headers, table_rows)


REPORTS = {
    "ageing-by-member": lambda today: ageing(today=today, by="member"),
    "ageing-by-country": lambda today: ageing(today=today, by="country"),
    "invoiced-collected": lambda today: invoiced_and_collected(today=today),
}

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_response(table: Table, file_format: str) -> HttpResponse:
    if file_format not in CONTENT_TYPES:
        raise Http404
    dataset = tablib.Dataset(headers=[str(header) for header in table.headers])
    for row in [*table.rows, *([table.totals] if table.totals else [])]:
        dataset.append([cell if isinstance(cell, (int, Decimal)) else str(cell) for cell in row])
    response = HttpResponse(dataset.export(file_format), content_type=CONTENT_TYPES[file_format])
    name = str(table.title).lower().replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
