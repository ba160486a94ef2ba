"""A board member, in a real Chromium, opens Representatives from the menu and sees the seat
timeline drawn, with the vacant seat as a visible bar (issue 5)."""

import datetime
import os
import shutil

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from agreements.models import Council
from tests.agreements.factories_seats import AppointmentFactory
from tests.members.factories import BoardTermFactory, ContactFactory, activate_totp

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DAY = datetime.timedelta(days=1)

pytestmark = [
    pytest.mark.browser,
    # Live-server tests commit; the serialized rollback restores the production data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


@pytest.fixture
def chromium_page():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls stay
    # synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.set_default_timeout(10_000)
        yield context
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def logged_in_page(context, live_server, user):
    """A page carrying a session of `user`: the login form itself is tested elsewhere."""
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context.new_page()


def test_board_member_sees_the_timeline_with_the_vacant_seat_drawn(
    live_server, chromium_page, tmp_path
):
    today = timezone.localdate()
    first, second = Council.objects.get(name="ISOC Advisory Council").seats.order_by("label")
    AppointmentFactory(seat=first, starts_on=today - 100 * DAY)
    AppointmentFactory(seat=second, starts_on=today - 800 * DAY, ends_on=today - 60 * DAY)
    user = BoardTermFactory(contact=ContactFactory(with_login=True)).contact.user
    activate_totp(user)
    page = logged_in_page(chromium_page, live_server, user)

    page.goto(live_server.url)
    page.get_by_role("link", name="Representatives").click()
    picture = page.get_by_role("img", name="Seat timeline")
    picture.wait_for()
    page.screenshot(path=tmp_path / "representatives.png", full_page=True)

    vacancy = page.locator("rect.vacant").last
    box = vacancy.bounding_box()
    assert box["width"] > 10 and box["height"] > 10
