"""The Secretariat, in a real Chromium, takes a members briefing through ISOC's channel from
draft to published in the admin; the members then receive it once."""

import pytest
from django.contrib.auth.models import Group

from agreements.models import Briefing
from agreements.tasks import send_pending_deliveries
from members.roles import SECRETARIAT_GROUP
from tests.agreements.factories import PartnerFactory
from tests.agreements.factories_briefings import BriefingFactory
from tests.browser.helpers import logged_in_page
from tests.members.factories import ContactFactory, UserFactory, activate_totp

pytestmark = [
    pytest.mark.browser,
    # Live-server tests commit; the serialized rollback restores the production data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_secretariat_publishes_a_briefing_through_isoc_and_members_receive_it_once(
    live_server, browser_context, mailoutbox
):
    contacts = ContactFactory.create_batch(3)
    briefing = BriefingFactory(
        channel=PartnerFactory(name="Internet Society (browser test)"),
        members=True,
        title="Roaming charges outlook",
    )
    staff = UserFactory(is_staff=True)
    staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    activate_totp(staff)
    page = logged_in_page(browser_context, live_server, staff)

    page.goto(f"{live_server.url}/admin/agreements/briefing/{briefing.pk}/change/")
    page.get_by_role("link", name="Submit to the partner").click()
    page.get_by_role("button", name="Submit to the partner").click()
    page.get_by_role("link", name="Record the partner's approval").click()
    page.get_by_label("Approved by (partner)").fill("ISOC Regional Bureau")
    page.get_by_label("Approval date").fill("2026-01-12")
    page.get_by_role("button", name="Record the partner's approval").click()
    page.get_by_role("link", name="Publish").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("is published").wait_for()

    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.PUBLISHED
    send_pending_deliveries(briefing.pk)
    send_pending_deliveries(briefing.pk)
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        contact.email for contact in contacts
    )
    page.goto(f"{live_server.url}/briefings/")
    assert page.get_by_role("link", name="Roaming charges outlook").is_visible()
