"""A board member, in a real Chromium, opens Representatives from the menu and sees the seat
timeline drawn, with the vacant seat as a visible bar."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Council
from tests.agreements.factories_seats import AppointmentFactory
from tests.browser.helpers import logged_in_page
from tests.members.factories import BoardTermFactory, ContactFactory, activate_totp

DAY = datetime.timedelta(days=1)

pytestmark = [
    pytest.mark.browser,
    # Live-server tests commit; the serialized rollback restores the production data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_board_member_sees_the_timeline_with_the_vacant_seat_drawn(
    live_server, browser_context, tmp_path
):
    today = timezone.localdate()
    first, second = Council.objects.get(name="ISOC Advisory Council").seats.order_by("label")
    AppointmentFactory(seat=first, starts_on=today - 100 * DAY)
    AppointmentFactory(seat=second, starts_on=today - 800 * DAY, ends_on=today - 60 * DAY)
    user = BoardTermFactory(contact=ContactFactory(with_login=True)).contact.user
    activate_totp(user)
    page = logged_in_page(browser_context, live_server, user)

    page.goto(live_server.url)
    page.get_by_role("link", name="Representatives").click()
    picture = page.get_by_role("img", name="Seat timeline")
    picture.wait_for()
    page.screenshot(path=tmp_path / "representatives.png", full_page=True)

    vacancy = page.locator("rect.vacant").last
    box = vacancy.bounding_box()
    assert box["width"] > 10 and box["height"] > 10
