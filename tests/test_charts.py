"""Charts drawn on the server: well-formed SVG with an accessible name, carrying the same
numbers as the table beside it and the CSV offered for it."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string

from agreements.charts import agreement_spans, commitments_by_status
from canto_portal.charts import Span, bar_chart, line_chart, spans_chart
from members.charts import dues_invoiced_and_collected, members_by_country, members_joined_and_left
from members.models import Dues, Member
from tests.agreements.factories import AgreementFactory, CommitmentFactory
from tests.members.factories import DuesFactory, MemberFactory

SVG = "{http://www.w3.org/2000/svg}"


def drawn(chart):
    """The chart's SVG, parsed: fails on anything that is not well-formed XML."""
    return ET.fromstring(render_to_string(chart.template_name, {"chart": chart}))


def titles(svg):
    """The tooltip of every mark (bar segment, point, span), which states its number."""
    return [
        element.text
        for parent in svg.iter()
        if parent.tag in {f"{SVG}rect", f"{SVG}circle"}
        for element in parent
        if element.tag == f"{SVG}title"
    ]


def test_a_chart_has_an_accessible_name():
    chart = bar_chart(slug="c", title="Things", heading="Kind", series=["N"], bars=[("a", [1])])
    svg = drawn(chart)
    assert svg.get("role") == "img"
    name = svg.find(f"{SVG}title")
    assert name.get("id") == svg.get("aria-labelledby") and name.text == "Things"


def test_a_bar_chart_draws_the_numbers_of_its_table():
    chart = bar_chart(
        slug="c",
        title="Commitments",
        heading="Agreement",
        series=["Met", "Open"],
        bars=[("A", [2, 1]), ("B", [0, 4])],
    )
    assert titles(drawn(chart)) == ["A, Met: 2", "A, Open: 1", "B, Open: 4"]
    assert chart.rows == (("A", 2, 1), ("B", 0, 4))


def test_a_line_chart_draws_a_point_per_row_and_series():
    chart = line_chart(
        slug="c",
        title="Growth",
        heading="Year",
        series=["Joined"],
        points=[(1985, [8]), (1986, [3])],
    )
    assert titles(drawn(chart)) == ["1985, Joined: 8", "1986, Joined: 3"]


def test_a_spans_chart_draws_each_span_and_a_line_for_today():
    chart = spans_chart(
        slug="c",
        title="Agreements",
        heading="Agreement",
        spans=[
            Span("A", datetime.date(2015, 2, 11), datetime.date(2020, 2, 10)),
            Span("B", datetime.date(2020, 2, 11), None),
        ],
        today=datetime.date(2026, 12, 1),
    )
    svg = drawn(chart)
    assert titles(svg) == ["A: 2015-02-11 – 2020-02-10", "B: 2020-02-11 – open-ended"]
    assert svg.find(f".//{SVG}line[@class='chart-today']") is not None


def test_a_label_with_markup_is_escaped_and_the_svg_stays_well_formed():
    chart = bar_chart(slug="c", title="<b>&", heading="K", series=["N"], bars=[("<x>&", [1])])
    assert drawn(chart).find(f"{SVG}title").text == "<b>&"


@pytest.mark.django_db
def test_members_by_country_counts_active_members_of_each_country():
    MemberFactory(country="JM")
    MemberFactory(country="JM")
    MemberFactory(country="BB", status=Member.Status.RESIGNED)
    rows = dict(members_by_country().rows)
    assert rows["Jamaica"] == Member.objects.active().filter(country="JM").count()
    assert (
        "Barbados" not in rows
        or rows["Barbados"] == Member.objects.active().filter(country="BB").count()
    )


@pytest.mark.django_db
def test_members_joined_and_left_per_year_since_the_founding():
    MemberFactory(joined_on=datetime.date(1990, 5, 1))
    rows = {row[0]: row[1:] for row in members_joined_and_left().rows}
    assert min(rows) == 1985
    assert rows[1990][0] == Member.objects.filter(joined_on__year=1990).count()


@pytest.mark.django_db
def test_dues_invoiced_against_collected_per_year():
    DuesFactory(year=2024, amount=100, status=Dues.Status.PAID, paid_on=datetime.date(2024, 3, 1))
    DuesFactory(year=2024, amount=50, status=Dues.Status.OVERDUE)
    rows = {row[0]: row[1:] for row in dues_invoiced_and_collected().rows}
    assert rows[2024] == (150, 100)


@pytest.mark.django_db
def test_commitments_by_status_per_agreement():
    agreement = AgreementFactory(reference="CANTO-AGR-2024-500")
    CommitmentFactory(agreement=agreement, status="met")
    CommitmentFactory(agreement=agreement, status="at_risk")
    chart = commitments_by_status()
    row = {row[0]: row[1:] for row in chart.rows}["CANTO-AGR-2024-500"]
    by_status = dict(zip(chart.columns[1:], row, strict=True))
    assert by_status["Met"] == 1 and by_status["At risk"] == 1 and sum(row) == 2


@pytest.mark.django_db
def test_agreement_spans_run_from_effective_date_to_expiry():
    AgreementFactory(
        reference="CANTO-AGR-2024-501",
        effective_from=datetime.date(2024, 3, 1),
        expires_on=datetime.date(2034, 2, 28),
    )
    chart = agreement_spans(datetime.date(2026, 12, 1))
    assert ("CANTO-AGR-2024-501", "2024-03-01", "2034-02-28") in chart.rows


@pytest.mark.django_db
def test_the_csv_download_carries_the_table(client):
    MemberFactory(country="JM")
    response = client.get("/charts/members-by-country.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["Country", "Members"]
    assert [row[0] for row in rows[1:]] == [row[0] for row in members_by_country().rows]


@pytest.mark.django_db
def test_the_boards_chart_numbers_send_anonymous_visitors_to_log_in(client):
    assert client.get("/charts/agreement-spans.csv").status_code == 302


@pytest.mark.django_db
def test_the_boards_chart_numbers_are_refused_to_member_operators(client, operator_a):
    client.force_login(operator_a)
    assert client.get("/charts/agreement-spans.csv").status_code == 403


@pytest.mark.django_db
def test_an_unknown_chart_is_not_found(client, board_user):
    client.force_login(board_user)
    assert client.get("/charts/nothing.csv").status_code == 404


@pytest.mark.django_db
def test_the_home_page_shows_members_by_country(client):
    MemberFactory(country="JM")
    page = client.get("/").text
    assert 'id="chart-members-by-country"' in page
