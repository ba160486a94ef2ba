"""A director, in a real Chromium, logs in with their authenticator code, opens the vote by
circulation, votes and sees the tally count their vote."""

import pytest

from agreements.models import Vote
from tests.agreements.board.factories import ResolutionFactory, VoteFactory
from tests.members.factories import BoardTermFactory, ContactFactory, activate_totp, current_code

PASSWORD = "correct-horse-battery"

pytestmark = [
    pytest.mark.browser,
    # Live-server tests run in transactions that are flushed afterwards; the serialized
    # rollback restores the production data (the ISOC agreement, the Secretariat group).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_director_logs_in_with_totp_votes_by_circulation_and_sees_the_tally(
    live_server, portal_page
):
    page = portal_page
    contact = BoardTermFactory(
        contact=ContactFactory(with_login=True, name="Ines Marchetti")
    ).contact
    secret = activate_totp(contact.user)
    resolution = ResolutionFactory(title="Renew the workshop sponsorship")
    VoteFactory(resolution=resolution, choice=Vote.Choice.OPPOSE)

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(contact.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    assert "/2fa/" in page.url
    page.locator("input[name=code]").fill(current_code(secret))
    page.locator("input[name=code]").press("Enter")
    page.get_by_role("button", name="Log out").wait_for()

    page.goto(f"{live_server.url}/board/meetings/")
    page.get_by_role("link", name="Renew the workshop sponsorship").click()
    tally = page.locator("#tally")
    assert "1 of 2 directors who may vote" in " ".join(tally.inner_text().split())

    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Vote", exact=True).click()
    page.get_by_text("Your vote is recorded.").wait_for()

    text = " ".join(page.locator("#tally").inner_text().split())
    assert "Approve 1" in text
    assert "2 of 2 directors who may vote" in text
    assert page.get_by_role("button", name="Change my vote").is_visible()
    assert Vote.objects.filter(director=contact, choice=Vote.Choice.APPROVE).exists()
