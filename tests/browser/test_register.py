"""A board member, in a real Chromium, filters the register, opens the ISOC agreement and
records a review."""

import pytest

from agreements.models import Review
from tests.members.factories import BoardTermFactory, ContactFactory, activate_totp, current_code

PASSWORD = "correct-horse-battery"

pytestmark = [
    pytest.mark.browser,
    # Live-server tests run in transactions that are flushed afterwards; the serialized
    # rollback restores the production data (the ISOC agreement, the Secretariat group).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_board_member_filters_register_opens_isoc_agreement_and_records_review(
    live_server, portal_page
):
    page = portal_page
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
