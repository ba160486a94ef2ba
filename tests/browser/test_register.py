"""A board member, in a real Chromium, filters the register, opens the ISOC agreement and
records a review (issue 4). Uses the shared browser fixtures when tests/browser/conftest.py
provides them, else the local ones below."""

import os
import shutil

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.db import connections

from agreements.models import Review
from tests.members.factories import BoardTermFactory, ContactFactory, activate_totp

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "correct-horse-battery"

pytestmark = [
    pytest.mark.browser,
    # Live-server tests run in transactions that are flushed afterwards; the serialized
    # rollback restores the production data (the ISOC agreement, the Secretariat group).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


@pytest.fixture
def register_page():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # itself are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        page = browser.new_page()
        page.set_default_timeout(10_000)
        yield page
        # While Playwright's event loop runs in this thread, Django keeps the test's database
        # connection apart from the one opened before (asgiref's Local follows the running
        # loop); close it here, in that state, or PostgreSQL cannot drop the test database.
        connections.close_all()
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def current_code(secret):
    """The authenticator app's code now (the middle of allauth's tolerance window)."""
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_board_member_filters_register_opens_isoc_agreement_and_records_review(
    live_server, register_page
):
    page = register_page
    user = BoardTermFactory(contact=ContactFactory(with_login=True, name="Delia Westerhout"))
    user = user.contact.user
    secret = activate_totp(user)

    page.goto(f"{live_server.url}/accounts/login/")
    # Fields by name: the login templates belong to allauth and may be restyled.
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    if "/2fa/" in page.url:
        page.locator("input[name=code]").fill(current_code(secret))
        page.locator("input[name=code]").press("Enter")
    page.get_by_role("button", name="Log out").wait_for()

    page.get_by_role("link", name="Agreements").click()
    page.get_by_label("Partner").select_option(label="ISOC")
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_role("button", name="Apply filters").click()
    assert "1 agreement" in page.get_by_role("status").inner_text()

    page.get_by_role("link", name="CANTO-AGR-2015-001").click()
    page.get_by_role("heading", level=1).wait_for()
    commitments = page.locator("table").first.locator("tbody tr")
    assert commitments.count() == 5

    page.get_by_role("link", name="Record a review").click()
    page.get_by_label("Outcome").select_option(label="Renew")
    page.get_by_label("Comments").fill("Renew with a stronger briefings commitment.")
    page.get_by_label("Next review on").fill("2099-02-11")
    page.get_by_role("button", name="Record review").click()

    page.get_by_text("Your review of CANTO-AGR-2015-001 is recorded.").wait_for()
    assert page.url.endswith("/agreements/CANTO-AGR-2015-001/")
    review = Review.objects.get(agreement__reference="CANTO-AGR-2015-001")
    assert (review.reviewer, review.outcome) == (user, Review.Outcome.RENEW)
