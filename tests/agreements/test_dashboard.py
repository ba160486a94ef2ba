"""The Secretariat's dashboard on the back office's index: counts that link to the change
lists showing them, as of today or of another day."""

import datetime

import pytest
from django.utils import timezone

from members.models import BoardTerm, Dues, Member
from tests.members.factories import BoardTermFactory, DuesFactory, MemberFactory

pytestmark = pytest.mark.django_db


def days(count):
    return timezone.localdate() + datetime.timedelta(days=count)


def counts(response):
    return {item.label: item for item in response.context["items"]}


def test_the_back_office_index_is_the_secretariats_dashboard(client, secretariat_user):
    MemberFactory(status=Member.Status.SUSPENDED)
    client.force_login(secretariat_user)
    response = client.get("/admin/")
    item = counts(response)["Members not in good standing"]
    assert item.count == Member.objects.current().not_in_good_standing().count() >= 1
    assert item.link == "/admin/members/member/?standing=not"


def test_a_count_leads_to_the_change_list_showing_those_rows(client, secretariat_user):
    BoardTermFactory(starts_on=days(-300), ends_on=days(30))
    BoardTermFactory(starts_on=days(-300), ends_on=days(300))
    client.force_login(secretariat_user)
    item = counts(client.get("/admin/"))["Board terms ending within 90 days"]
    listed = client.get(item.link).context["cl"].result_count
    assert item.count == listed == 1


def test_dues_overdue_are_counted(client, secretariat_user):
    DuesFactory(status=Dues.Status.OVERDUE)
    client.force_login(secretariat_user)
    assert counts(client.get("/admin/"))["Dues overdue"].count == 1


def test_counts_as_of_another_day(client, secretariat_user):
    BoardTermFactory(starts_on=datetime.date(2019, 1, 1), ends_on=datetime.date(2020, 3, 1))
    client.force_login(secretariat_user)
    item = counts(client.get("/admin/?on=2020-01-15"))["Board terms ending within 90 days"]
    assert item.count == BoardTerm.objects.filter(ends_on=datetime.date(2020, 3, 1)).count()


def test_an_invalid_day_gets_a_clear_message(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get("/admin/?on=31/12/2020")
    assert response.status_code == 200
    assert "Give the day as YYYY-MM-DD" in response.text


def test_the_dues_country_filter_lists_only_countries_with_members(client, secretariat_user):
    DuesFactory(member=MemberFactory(country="JM"))
    client.force_login(secretariat_user)
    page = client.get("/admin/members/dues/").text
    assert "Jamaica" in page and "Zimbabwe" not in page


def test_every_count_shown_links_to_a_change_list_that_opens(client, secretariat_user):
    DuesFactory(status=Dues.Status.OVERDUE)
    BoardTermFactory(starts_on=days(-300), ends_on=days(30))
    client.force_login(secretariat_user)
    items = client.get("/admin/").context["items"]
    assert len(items) >= 3
    for item in items:
        response = client.get(item.link)
        assert response.status_code == 200, item.label
        assert response.context["cl"].result_count >= 1, item.label


def test_a_dues_reminder_without_an_invoice_sends_nothing(client, secretariat_user):
    dues = DuesFactory(status=Dues.Status.OVERDUE)
    client.force_login(secretariat_user)
    response = client.post(
        "/admin/members/dues/",
        {"action": "send_reminder", "_selected_action": [dues.pk]},
        follow=True,
    )
    assert "0 reminders sent." in response.text
