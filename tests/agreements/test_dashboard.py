"""The Secretariat's dashboard on the back office's index: counts that link to the change
lists showing them, as of today or of another day."""

import datetime
import re
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import ActionItem, Briefing, SentAlert
from canto_portal.admin_pages import CSRF_TOKEN_PLACEHOLDER
from members.models import BoardTerm, Dues, Invitation, Member
from members.roles import SECRETARIAT_GROUP
from members.services import billing
from members.services.people import invite
from tests.agreements.board.factories import ActionItemFactory
from tests.agreements.factories_briefings import BriefingFactory
from tests.agreements.factories_seats import AppointmentFactory
from tests.cache_contents import stored_keys
from tests.members.billing.factories import dues_invoice
from tests.members.factories import (
    BoardTermFactory,
    DuesFactory,
    MemberFactory,
    UserFactory,
    activate_totp,
)

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


def count_of(client, label, url="/admin/"):
    items = counts(client.get(url))
    return items[label].count if label in items else 0


def dashboard(page):
    """The dashboard's table of counts, without the as-of form and its CSRF token."""
    return re.search(r"<table>.*?</table>", page, re.S).group(0)


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_payment_settling_an_overdue_invoice_lowers_the_count_at_once(client, secretariat_user):
    invoice = dues_invoice()
    client.force_login(secretariat_user)
    assert count_of(client, "Invoices overdue") == 1
    billing.record_payment(
        invoice=invoice, amount=invoice.total, paid_on=timezone.localdate(), by=secretariat_user
    )
    assert count_of(client, "Invoices overdue") == 0


def test_a_member_suspended_is_counted_at_once(client, secretariat_user):
    member = MemberFactory()
    client.force_login(secretariat_user)
    before = count_of(client, "Members not in good standing")
    member.status = Member.Status.SUSPENDED
    member.save()
    assert count_of(client, "Members not in good standing") == before + 1


@pytest.mark.parametrize(
    ("label", "record"),
    [
        ("Invoices overdue", dues_invoice),
        (
            "Board terms ending within 90 days",
            lambda: BoardTermFactory(starts_on=days(-300), ends_on=days(30)),
        ),
        (
            "Briefings waiting for the partner",
            lambda: BriefingFactory(status=Briefing.Status.SUBMITTED),
        ),
        (
            "Council seat terms ending within 90 days",
            lambda: AppointmentFactory(starts_on=days(-700), ends_on=days(30)),
        ),
        ("Alerts sent in the last 7 days", lambda: SentAlert.objects.create(key="expiry-90:t")),
    ],
    ids=["overdue invoice", "board term", "briefing submitted", "seat term", "alert sent"],
)
def test_a_record_added_after_a_view_is_counted_on_the_next(
    client, secretariat_user, label, record
):
    client.force_login(secretariat_user)
    assert count_of(client, label) == 0
    record()
    assert count_of(client, label) == 1


def test_an_invitation_sent_is_counted_at_once(client, secretariat_user, contact_a, mailoutbox):
    client.force_login(secretariat_user)
    assert count_of(client, "Invitations pending") == 0
    invite(contact_a, invited_by=secretariat_user)
    assert count_of(client, "Invitations pending") == 1


def test_an_invitation_expiring_after_a_view_is_counted_expired_from_that_moment(
    client, secretariat_user, contact_a, mailoutbox
):
    invite(contact_a, invited_by=secretariat_user)
    expires_at = timezone.now() + datetime.timedelta(seconds=2)
    Invitation.objects.update(expires_at=expires_at)
    client.force_login(secretariat_user)
    assert count_of(client, "Invitations pending") == 1
    time.sleep((expires_at - timezone.now()).total_seconds() + 0.1)
    items = counts(client.get("/admin/"))
    assert "Invitations pending" not in items
    assert items["Invitations expired, never accepted"].count == 1


def test_the_dashboard_seen_again_reads_its_counts_from_the_cache(client, secretariat_user):
    client.force_login(secretariat_user)
    # The login's roles and permissions, kept.
    client.get("/admin/?on=2020-01-15")
    first = queries(client, "/admin/")
    assert queries(client, "/admin/") < first


def test_the_dashboard_seen_again_shows_the_same_page(client, secretariat_user):
    dues_invoice()
    BoardTermFactory(starts_on=days(-300), ends_on=days(30))
    client.force_login(secretariat_user)
    first = client.get("/admin/").text
    # The form's CSRF token changes from one view to the next; the counts do not.
    assert dashboard(client.get("/admin/").text) == dashboard(first)
    assert "Invoices overdue" in dashboard(first)


def test_today_asked_by_name_reads_the_same_counts_from_the_cache(client, secretariat_user):
    client.force_login(secretariat_user)
    client.get("/admin/")
    another_day = queries(client, "/admin/?on=2020-01-15")
    assert queries(client, f"/admin/?on={timezone.localdate().isoformat()}") < another_day


def test_another_day_is_counted_afresh_and_not_kept(client, secretariat_user):
    client.force_login(secretariat_user)
    # The login's roles and permissions, and today's counts, kept.
    client.get("/admin/")
    first = queries(client, "/admin/?on=2020-01-15")
    before = stored_keys()
    assert queries(client, "/admin/?on=2020-01-15") == first
    assert queries(client, "/admin/?on=2020-01-16") == first
    assert stored_keys() == before


def test_the_index_seen_again_reads_only_the_session_and_the_login(client, secretariat_user):
    client.force_login(secretariat_user)
    client.get("/admin/")
    assert queries(client, "/admin/") == 2


def test_each_login_gets_its_own_kept_index(client, secretariat_user):
    other = UserFactory(is_staff=True)
    other.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    activate_totp(other)
    client.force_login(secretariat_user)
    client.get("/admin/")
    client.force_login(other)
    page = client.get("/admin/").text
    assert other.get_username() in page
    assert secretariat_user.get_username() not in page


def test_the_kept_index_gets_a_fresh_csrf_token_each_time(client, secretariat_user):
    client.force_login(secretariat_user)
    client.get("/admin/")
    page = client.get("/admin/").text
    assert CSRF_TOKEN_PLACEHOLDER not in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_the_action_items_a_login_owns_are_on_its_index_until_done(client, secretariat_user):
    item = ActionItemFactory(
        owner_contact=None, owner_staff=secretariat_user, title="Send the board pack"
    )
    ActionItemFactory(title="A director's task")
    client.force_login(secretariat_user)
    page = client.get("/admin/").text
    assert "Send the board pack" in page and "A director&#x27;s task" not in page
    item.status = ActionItem.Status.DONE
    item.save()
    assert "Send the board pack" not in client.get("/admin/").text


# Who sees the dashboard -----------------------------------------------------------------------

DASHBOARD = 'id="dashboard-heading"'


@pytest.fixture
def member_clerk():
    """A back-office login outside the Secretariat, allowed to look at the member register."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_member"))
    activate_totp(user)
    return user


def test_the_secretariat_sees_the_dashboards_counts(client, secretariat_user):
    dues_invoice()
    client.force_login(secretariat_user)
    page = client.get("/admin/").text
    assert DASHBOARD in page and "Invoices overdue" in page


def test_staff_outside_the_secretariat_see_their_models_and_no_counts(
    client, secretariat_user, member_clerk
):
    dues_invoice()
    # The Secretariat's index is kept, per login; another login never gets it.
    client.force_login(secretariat_user)
    client.get("/admin/")
    client.force_login(member_clerk)
    response = client.get("/admin/")
    assert DASHBOARD not in response.text and "Invoices overdue" not in response.text
    listed = [
        model["object_name"] for app in response.context["app_list"] for model in app["models"]
    ]
    assert listed == ["Member"]
    assert 'href="/admin/members/member/"' in response.text


def test_staff_outside_the_secretariat_see_no_counts_for_another_day(client, member_clerk):
    client.force_login(member_clerk)
    assert DASHBOARD not in client.get("/admin/?on=2020-01-15").text


def test_a_login_leaving_the_secretariat_no_longer_gets_its_kept_dashboard(
    client, secretariat_user
):
    client.force_login(secretariat_user)
    assert DASHBOARD in client.get("/admin/").text
    secretariat_user.groups.clear()
    secretariat_user.user_permissions.add(Permission.objects.get(codename="view_member"))
    assert DASHBOARD not in client.get("/admin/").text
