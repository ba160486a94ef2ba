"""One-click unsubscribe from briefing emails, without a login."""

import email.policy
import re

import pytest
from django.test import Client

from agreements import services
from agreements.tasks import send_pending_deliveries
from tests.agreements.factories_briefings import BriefingFactory
from tests.members.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefing_email(secretariat_user, mailoutbox, django_capture_on_commit_callbacks):
    contact = ContactFactory()
    briefing = BriefingFactory(members=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(briefing=briefing, by=secretariat_user)
    send_pending_deliveries(briefing.pk)
    (message,) = mailoutbox
    return contact, message


def unsubscribe_path(message):
    url = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_briefing_email_offers_a_one_click_unsubscribe(briefing_email):
    _contact, message = briefing_email

    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.fixture
def long_portal_url(settings):
    settings.PORTAL_URL = "https://members-portal.caribbean-telecommunications.example:8443"


@pytest.mark.parametrize("policy", [email.policy.default, email.policy.SMTP])
def test_the_unsubscribe_header_is_sent_as_a_plain_url_however_long(
    long_portal_url, briefing_email, policy
):
    _contact, message = briefing_email

    raw = message.message(policy=policy).as_bytes()

    [line] = [line for line in raw.splitlines() if line.startswith(b"List-Unsubscribe:")]
    assert re.fullmatch(
        rb"List-Unsubscribe: <https://members-portal\.caribbean-telecommunications\.example:8443"
        rb"/[^<>\s]+>",
        line,
    )
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


def test_the_mail_clients_one_click_post_unsubscribes_without_login_or_csrf_token(
    briefing_email,
):
    contact, message = briefing_email

    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(message), {"List-Unsubscribe": "One-Click"}
    )

    contact.refresh_from_db()
    assert response.status_code == 200
    assert contact.receives_briefings is False


def test_opening_the_link_asks_before_unsubscribing(client, briefing_email):
    contact, message = briefing_email

    response = client.get(unsubscribe_path(message))

    contact.refresh_from_db()
    assert b"Unsubscribe" in response.content
    assert contact.receives_briefings is True


def test_a_tampered_link_unsubscribes_nobody(client, briefing_email):
    contact, message = briefing_email
    other = ContactFactory()
    path = unsubscribe_path(message).replace(f"/{contact.pk}:", f"/{other.pk}:")

    response = client.post(path)

    other.refresh_from_db()
    assert response.status_code == 404
    assert other.receives_briefings is True
