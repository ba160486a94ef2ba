"""Every kind of portal mail carries the same headers, read from the bytes a mail server gets:
it says it is automated, replies go to the Secretariat, its Message-ID is on the portal's own
domain, and its HTML names the language it is written in."""

import email
import email.policy
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from agreements import services as briefing_services
from agreements.alerts import Alert, sending
from agreements.tasks import send_pending_deliveries
from canto_portal.mail import email_message
from members import services
from members.services import billing
from tests.agreements.factories_briefings import BriefingFactory
from tests.members.billing.factories import billing_contact, dues_invoice
from tests.members.factories import ContactFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRETARIAT = "CANTO Secretariat <secretariat@portal.example>"


@pytest.fixture(autouse=True)
def _portal(settings):
    settings.PORTAL_URL = "https://portal.example:8443"
    settings.SECRETARIAT_EMAIL = SECRETARIAT


def invitation(language):
    services.invite(ContactFactory(language=language), invited_by=None)


def dues_reminder(language):
    member = MemberFactory()
    billing_contact(member, language=language)
    billing.send_due_reminders(today=dues_invoice(member).issued_on)


def alert(language):
    contact = ContactFactory(language=language)
    sending.send_alert(
        Alert(
            key="test:headers",
            subject="Subject",
            recipients=[contact.email],
            template="emails/board_action_item",
            context={"item": {"title": "Send the minutes"}, "overdue": False, "url": ""},
        )
    )


def briefing(language):
    ContactFactory(language=language)
    published = BriefingFactory(members=True)
    briefing_services.publish(briefing=published, by=UserFactory(is_staff=True))
    send_pending_deliveries(published.pk)


def password_reset(language):
    user = UserFactory()
    Client().post(
        reverse("account_reset_password"),
        {"email": user.email},
        HTTP_HOST="127.0.0.1",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def login_code(language):
    user = UserFactory()
    Client().post(
        reverse("account_request_login_code"),
        {"email": user.email},
        HTTP_HOST="127.0.0.1",
        HTTP_ACCEPT_LANGUAGE=language,
    )


# The portal's own mail, written in HTML and text; allauth's, written in text only.
KINDS = [invitation, dues_reminder, alert, briefing]
ALL_KINDS = [*KINDS, password_reset, login_code]


def sent(kind, language="en"):
    """The one message `kind` sent, as the mail server reads it."""
    mail.outbox.clear()
    kind(language)
    [message] = mail.outbox
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    return email.message_from_bytes(raw, policy=email.policy.default)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_of_mail_says_it_is_automated(kind):
    assert sent(kind)["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_replies_to_every_kind_of_mail_go_to_the_secretariat(kind):
    assert sent(kind)["Reply-To"] == SECRETARIAT


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_of_mail_has_a_message_id_on_the_portals_domain(kind):
    assert re.fullmatch(r"<[^@<>]+@portal\.example>", sent(kind)["Message-ID"])


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_mail_in_spanish_says_so_in_its_html(kind):
    message = sent(kind, language="es")

    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="es">' in html
    assert message["Content-Language"] == "es"


def test_a_password_reset_link_is_on_the_portals_public_address_not_the_requests():
    body = sent(password_reset).get_body(preferencelist=("plain",)).get_content()

    assert "https://portal.example:8443/accounts/password/reset/key/" in body
    assert "127.0.0.1" not in body


@pytest.mark.parametrize("kind", [password_reset, login_code])
def test_allauths_mail_names_the_portal_not_the_requests_host(kind):
    body = sent(kind).get_body(preferencelist=("plain",)).get_content()

    assert "Hello from CANTO Portal!" in body
    assert "portal.example" in body


def test_a_header_with_a_line_break_is_refused():
    # The portal's headers are written as they are, so a line break would start a new one.
    with pytest.raises(ValueError, match="one line"):
        email_message(
            to=["someone@example.org"],
            language="en",
            subject="Subject",
            template="emails/board_action_item",
            context={},
            headers={"List-Unsubscribe": "<https://portal.example/>\r\nBcc: other@example.org"},
        )
