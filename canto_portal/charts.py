"""Charts drawn on the server as SVG: no script, no style attribute, nothing from elsewhere,
so the Content Security Policy stays strict. Three kinds (stacked bars, lines over a series of
years, spans of dates), each laid out here and drawn by one template (templates/charts/);
every chart also carries its numbers as rows, shown as a table beside it and offered as CSV.
Domain-free: callers hand in labels and numbers."""

import csv
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.translation import gettext as _

WIDTH = 720
LABEL_WIDTH = 200
BAR_HEIGHT = 18
GAP = 6
TOP = 30
PLOT_HEIGHT = 240
LEFT = 50
# Series colours: classes styled in static/css/portal.css (chart-series-0, -1, ...).
SERIES_CLASSES = 6


@dataclass(frozen=True)
class Chart:
    """A chart's drawing (`shapes`, read by its template) and its numbers (`columns`, `rows`)."""

    kind: str
    slug: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    height: int
    width: int = WIDTH
    shapes: tuple = ()
    legend: tuple[tuple[str, str], ...] = ()
    axis: tuple = field(default=())

    @property
    def template_name(self) -> str:
        return f"charts/{self.kind}.svg"


def series_class(index: int) -> str:
    return f"chart-series-{index % SERIES_CLASSES}"


def legend_of(names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((series_class(index), name) for index, name in enumerate(names))


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    css: str
    title: str


@dataclass(frozen=True)
class BarRow:
    label: str
    y: float
    total: int
    total_x: float
    segments: tuple[Segment, ...]


def bar_chart(
    *,
    slug: str,
    title: str,
    heading: str,
    series: Sequence[str],
    bars: Sequence[tuple[str, Sequence[int]]],
) -> Chart:
    """Horizontal bars, one per label, each stacked from one value per series."""
    longest = max((sum(values) for _label, values in bars), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - 50) / longest
    rows = []
    for index, (label, values) in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + GAP)
        x = float(LABEL_WIDTH)
        segments = []
        for number, (name, value) in enumerate(zip(series, values, strict=True)):
            if value:
                segments.append(
                    Segment(x, value * scale, series_class(number), f"{label}, {name}: {value}")
                )
            x += value * scale
        rows.append(BarRow(label, y, sum(values), x + 4, tuple(segments)))
    single = len(series) == 1
    return Chart(
        kind="bar",
        slug=slug,
        title=title,
        columns=(heading, *series) if not single else (heading, series[0]),
        rows=tuple((label, *values) for label, values in bars),
        height=TOP + len(bars) * (BAR_HEIGHT + GAP) + 10,
        shapes=tuple(rows),
        legend=() if single else legend_of(series),
    )


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Line:
    css: str
    points: str
    marks: tuple[Point, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


def line_chart(
    *,
    slug: str,
    title: str,
    heading: str,
    series: Sequence[str],
    points: Sequence[tuple[object, Sequence[float]]],
) -> Chart:
    """One line per series over the same categories (years, usually), left to right."""
    highest = max((max(values, default=0) for _x, values in points), default=0) or 1
    step = (WIDTH - LEFT - 20) / max(len(points) - 1, 1)
    lines = []
    for number, name in enumerate(series):
        marks = tuple(
            Point(
                LEFT + index * step,
                TOP + PLOT_HEIGHT - values[number] / highest * PLOT_HEIGHT,
                f"{category}, {name}: {values[number]}",
            )
            for index, (category, values) in enumerate(points)
        )
        path = " ".join(f"{mark.x:.1f},{mark.y:.1f}" for mark in marks)
        lines.append(Line(series_class(number), path, marks))
    # A tick every few categories keeps forty years of labels readable.
    every = max(1, len(points) // 8)
    ticks = tuple(
        Tick(LEFT + index * step, str(category))
        for index, (category, _values) in enumerate(points)
        if index % every == 0
    )
    return Chart(
        kind="line",
        slug=slug,
        title=title,
        columns=(heading, *series),
        rows=tuple((category, *values) for category, values in points),
        height=TOP + PLOT_HEIGHT + 40,
        shapes=tuple(lines),
        legend=legend_of(series),
        axis=(ticks, highest, TOP + PLOT_HEIGHT),
    )


@dataclass(frozen=True)
class Span:
    label: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    link: str = ""


@dataclass(frozen=True)
class SpanBar:
    label: str
    link: str
    x: float
    width: float
    y: float
    open_ended: bool
    title: str


def isoformat_or_blank(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def spans_chart(
    *, slug: str, title: str, heading: str, spans: Sequence[Span], today: datetime.date
) -> Chart:
    """A bar per span from its start to its end (or beyond the right edge when open-ended),
    on one time axis, with a line for `today`."""
    first = min((span.starts_on for span in spans), default=today)
    last = max([today, *(span.ends_on for span in spans if span.ends_on)])
    last = max(last, today) + datetime.timedelta(days=180)
    days = (last - first).days or 1
    scale = (WIDTH - LABEL_WIDTH - 10) / days

    def at(day: datetime.date) -> float:
        return LABEL_WIDTH + (day - first).days * scale

    bars = tuple(
        SpanBar(
            span.label,
            span.link,
            at(span.starts_on),
            max(at(span.ends_on or last) - at(span.starts_on), 1.0),
            TOP + index * (BAR_HEIGHT + GAP),
            span.ends_on is None,
            f"{span.label}: {span.starts_on.isoformat()} – "
            f"{span.ends_on.isoformat() if span.ends_on else _('open-ended')}",
        )
        for index, span in enumerate(spans)
    )
    ticks = tuple(
        Tick(at(datetime.date(year, 1, 1)), str(year))
        for year in range(first.year + 1, last.year + 1)
        if (year - first.year) % max(1, (last.year - first.year) // 8) == 0
    )
    height = TOP + len(spans) * (BAR_HEIGHT + GAP) + 20
    return Chart(
        kind="spans",
        slug=slug,
        title=title,
        columns=(heading, _("From"), _("Until")),
        rows=tuple(
            (
                span.label,
                span.starts_on.isoformat(),
                span.ends_on.isoformat() if span.ends_on else "",
            )
            for span in spans
        ),
        height=height,
        shapes=bars,
        axis=(ticks, at(today), today.isoformat(), height - 14),
    )


def csv_response(chart: Chart) -> HttpResponse:
    """The chart's numbers as a CSV download named after it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(chart.columns)
    writer.writerows(chart.rows)
    return response
