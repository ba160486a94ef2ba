"""The member site in a real Chromium: an invited contact chooses a password, logs
in and sees their benefits; a board member sets up TOTP and logs in again with a code."""

import re

import pytest
from django.urls import reverse

from members import services
from members.models import Benefit
from tests.browser.helpers import logged_in_page
from tests.members.factories import BoardTermFactory, ContactFactory, MemberFactory, current_code

pytestmark = [
    pytest.mark.browser,
    # Live-server tests commit; the serialized rollback restores the data migrations' rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Frigatebird-Harbour-1985"


def log_in(page, email, password):
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_invited_contact_chooses_password_logs_in_and_sees_benefits(live_server, portal_page):
    page = portal_page
    member = MemberFactory(name="Coralwave Telecom")
    benefit = Benefit.objects.create(name="Member rate at the CANTO annual conference")
    benefit.categories.add(member.category)
    contact = ContactFactory(member=member, name="Imani Oyelaran", email="imani@coralwave.example")
    invitation = services.invite(contact, invited_by=None)

    page.goto(live_server.url + reverse("members:invitation", args=[invitation.token]))
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my login").click()

    page.get_by_text("Your login is ready.").wait_for()
    log_in(page, "imani@coralwave.example", NEW_PASSWORD)

    page.wait_for_url(re.compile(r"/portal/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Coralwave Telecom"
    benefits = page.get_by_role("region", name="Your Full membership benefits")
    assert "Member rate at the CANTO annual conference" in benefits.inner_text()


def test_used_invitation_link_shows_what_to_do(live_server, portal_page):
    page = portal_page
    contact = ContactFactory(name="Nigel Thistlewood")
    invitation = services.invite(contact, invited_by=None)
    services.accept_invitation(invitation.token, NEW_PASSWORD)

    response = page.goto(live_server.url + reverse("members:invitation", args=[invitation.token]))

    assert response.status == 410
    assert "already been used" in page.get_by_role("alert").inner_text()
    assert page.get_by_role("main").get_by_role("link", name="log in", exact=True).is_visible()


def test_board_member_sets_up_totp_and_logs_in_with_a_code(live_server, portal_page):
    page = portal_page
    user = BoardTermFactory(contact=ContactFactory(with_login=True)).contact.user

    page.goto(live_server.url + reverse("account_login"))
    log_in(page, user.email, PASSWORD)

    # Board members must set up MFA first; allauth confirms the password before adding one.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))

    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + reverse("account_login"))
    log_in(page, user.email, PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(current_code(secret))
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url(re.compile(r"/portal/$"))
    page.get_by_role("link", name="Members").click()
    page.wait_for_url(re.compile(r"/members/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Member directory"


def test_member_admin_invites_a_colleague_from_the_dashboard(
    live_server, browser_context, mailoutbox
):
    admin = ContactFactory(is_member_admin=True, with_login=True)
    ContactFactory(member=admin.member, name="Keturah Alleyne", email="keturah@alpha.example")
    page = logged_in_page(browser_context, live_server, admin.user)
    page.goto(live_server.url + reverse("members:portal"))

    page.get_by_role("link", name="Invite Keturah Alleyne").click()
    page.get_by_role("button", name="Send the invitation").click()

    page.wait_for_url(re.compile(r"/portal/$"))
    assert "An invitation is on its way to keturah@alpha.example." in page.inner_text("main")
    row = page.get_by_role("row", name=re.compile("Keturah Alleyne"))
    assert "Invited" in row.inner_text()
    assert mailoutbox[0].to == ["keturah@alpha.example"]
