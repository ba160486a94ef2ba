"""Each person reads the portal and its emails in their own language: a login's saved choice
first, then the contact's own language, then the portal's default."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy

from agreements.alerts import send_alerts
from agreements.alerts.sending import Alert
from agreements.models import Agreement, BriefingDelivery
from agreements.tasks import send_pending_deliveries
from members import services
from members.models import LanguagePreference
from tests.agreements.factories_briefings import BriefingFactory
from tests.members.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def deliver(briefing, *contacts):
    for contact in contacts:
        BriefingDelivery.objects.create(briefing=briefing, contact=contact)
    send_pending_deliveries(briefing.pk)
    return {message.to[0]: message for message in mail.outbox}


def test_a_spanish_and_a_dutch_contact_each_receive_the_same_briefing_in_their_language():
    briefing = BriefingFactory(members=True, published=True, title="Roaming")
    spanish = ContactFactory(email="ana@example.org", language="es")
    dutch = ContactFactory(email="daan@example.org", language="nl")

    sent = deliver(briefing, spanish, dutch)

    assert sent["ana@example.org"].subject == "[CANTO] Boletín informativo para miembros: Roaming"
    assert "Léalo en el portal" in sent["ana@example.org"].body
    assert sent["daan@example.org"].subject == "[CANTO] Briefing voor leden: Roaming"
    assert "Lees hem op het portaal" in sent["daan@example.org"].body
    html, _mimetype = sent["daan@example.org"].alternatives[0]
    assert "Lees hem op het portaal" in html


def test_a_contact_without_a_language_receives_the_portals_default():
    briefing = BriefingFactory(members=True, published=True, title="Roaming")
    contact = ContactFactory(email="erin@example.org")

    sent = deliver(briefing, contact)

    assert sent["erin@example.org"].subject == "[CANTO] Members briefing: Roaming"


def test_the_language_a_login_chose_wins_over_the_contacts():
    briefing = BriefingFactory(members=True, published=True, title="Roaming")
    contact = ContactFactory(email="fleur@example.org", language="nl", with_login=True)
    LanguagePreference.objects.create(user=contact.user, language="fr")

    sent = deliver(briefing, contact)

    assert sent["fleur@example.org"].subject == ("[CANTO] Note d'information aux membres : Roaming")


def test_an_invitation_is_written_in_the_contacts_language():
    contact = ContactFactory(email="jan@example.org", language="nl")

    services.invite(contact, invited_by=None)

    [message] = mail.outbox
    assert message.subject == "Uw uitnodiging voor het CANTO-portaal"
    assert "Kies hier uw wachtwoord" in message.body


def test_a_spanish_invitation_has_no_english_sentence_left():
    contact = ContactFactory(language="es")

    services.invite(contact, invited_by=None)

    [message] = mail.outbox
    assert "El enlace funciona una vez y caduca en 7 días." in message.body
    for text in (message.body, message.alternatives[0].content):
        assert "The link" not in text
        assert "expires" not in text


def test_an_alert_goes_to_each_recipient_in_their_language_whatever_the_case_of_the_address():
    ContactFactory(email="sofia@example.org", language="es")
    today = datetime.date(2026, 11, 30)

    def alerts(day):
        yield Alert(
            key="test:languages",
            subject=gettext_lazy("Board review of %(reference)s is overdue since %(date)s"),
            subject_values={"reference": "CANTO-AGR-2015-001", "date": datetime.date(2026, 2, 11)},
            recipients=["Sofia@Example.org", "staff@canto.example"],
            template="emails/alert_review_overdue",
            context={
                "agreement": Agreement(reference="CANTO-AGR-2015-001", title="ISOC"),
                "url": "https://portal.example",
            },
        )

    send_alerts(today=today, producers=[alerts])

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "Sofia@Example.org": (
            "La revisión de CANTO-AGR-2015-001 por la Junta Directiva está vencida desde el "
            "11 de febrero de 2026"
        ),
        "staff@canto.example": (
            "Board review of CANTO-AGR-2015-001 is overdue since 11 February 2026"
        ),
    }


def test_switching_language_while_logged_in_saves_it_with_the_login(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    assert LanguagePreference.objects.get(user=user).language == "fr"


def test_an_anonymous_visitors_choice_is_kept_in_a_cookie(client):
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert client.get("/").headers["Content-Language"] == "nl"


def test_logging_in_brings_back_the_language_the_login_saved(client):
    user = UserFactory(email="nora@example.org")
    LanguagePreference.objects.create(user=user, language="nl")

    response = client.post(
        reverse("account_login"), {"login": "nora@example.org", "password": "correct-horse-battery"}
    )

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    assert client.get("/").headers["Content-Language"] == "nl"
