"""The member operator's attention panel at the top of /portal/: standing, dues owed, terms
of the organisation's people ending, briefings published since the last visit."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Confidentiality
from members.models import Member
from tests.agreements.factories_briefings import BriefingFactory
from tests.agreements.factories_seats import AppointmentFactory
from tests.members.billing.factories import dues_invoice
from tests.members.factories import BoardTermFactory, ContactFactory

pytestmark = pytest.mark.django_db


def days(count):
    return timezone.localdate() + datetime.timedelta(days=count)


def panel(client):
    page = client.get("/portal/").text
    return page.split('class="attention"')[1].split("</section>")[0]


def test_overdue_invoices_are_counted_for_the_members_operators(client, operator_a, member_a):
    dues_invoice(member_a, issued_on=days(-100))
    client.force_login(operator_a)
    assert "Invoices overdue: <strong>1</strong>" in panel(client)


def test_a_suspended_membership_is_listed(client, operator_a, member_a):
    Member.objects.filter(pk=member_a.pk).update(status=Member.Status.SUSPENDED)
    client.force_login(operator_a)
    assert "Membership Suspended" in panel(client)


def test_board_terms_of_the_members_people_ending_are_listed(client, operator_a, member_a):
    contact = ContactFactory(member=member_a, name="Ending Director")
    BoardTermFactory(contact=contact, starts_on=days(-300), ends_on=days(20))
    client.force_login(operator_a)
    assert "Ending Director" in panel(client)


def test_council_seat_terms_of_the_members_people_ending_are_listed(client, operator_a, member_a):
    contact = ContactFactory(member=member_a, name="Ending Representative")
    AppointmentFactory(
        contact=contact,
        starts_on=days(-700),
        ends_on=days(30),
        seat__council__agreement__confidentiality=Confidentiality.MEMBERS,
    )
    client.force_login(operator_a)
    assert "Ending Representative" in panel(client)


def test_briefings_published_since_the_last_visit_are_counted(client, operator_a):
    BriefingFactory(published=True)
    client.force_login(operator_a)
    assert "Briefings published since your last visit: <strong>1</strong>" in panel(client)
