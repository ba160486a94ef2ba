"""A board member, in a real Chromium, opens the Board's attention page from the navigation
and follows an item to the agreement, which opens with its banner."""

import datetime

import pytest
from django.utils import timezone

from tests.agreements.factories import AgreementFactory
from tests.members.factories import BoardTermFactory, ContactFactory, activate_totp, current_code

PASSWORD = "correct-horse-battery"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_board_member_follows_an_overdue_review_to_the_agreements_banner(live_server, portal_page):
    page = portal_page
    AgreementFactory(
        reference="CANTO-AGR-2024-777",
        next_review_on=timezone.localdate() - datetime.timedelta(days=4),
    )
    user = BoardTermFactory(contact=ContactFactory(with_login=True)).contact.user
    secret = activate_totp(user)

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    if "/2fa/" in page.url:
        page.locator("input[name=code]").fill(current_code(secret))
        page.locator("input[name=code]").press("Enter")
    page.get_by_role("button", name="Log out").wait_for()

    page.get_by_role("link", name="Board", exact=True).click()
    page.get_by_role("heading", name="Needs the Board's attention").wait_for()
    page.get_by_role("link", name="Reviews overdue").click()
    page.get_by_role("link", name="CANTO-AGR-2024-777").click()

    banner = page.locator(".banner").first
    banner.wait_for()
    assert "overdue" in banner.inner_text()
    assert page.url.endswith("/agreements/CANTO-AGR-2024-777/")
