"""The portal in Spanish and in French, as a new user would try it: the language chosen in
the footer, the login (with its second factor), the dashboard and the agreement register."""

import re

import pytest

from tests.members.factories import (
    BoardTermFactory,
    ContactFactory,
    MemberFactory,
    activate_totp,
    current_code,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"


def choose_language(page, base_url, label, button):
    page.goto(base_url + "/")
    page.locator("#language-select").select_option(label=label)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def log_in(page, email, secret=None):
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    if secret:
        page.locator("input[name=code]").fill(current_code(secret))
        page.locator("input[name=code]").press("Enter")
        page.wait_for_load_state()


def test_a_member_operator_logs_in_and_works_in_spanish(live_server, portal_page):
    page = portal_page
    member = MemberFactory(name="Coralwave Telecom")
    contact = ContactFactory(member=member, with_login=True)

    choose_language(page, live_server.url, "Español", "Change")
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("link", name="Iniciar sesión").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Iniciar sesión"
    log_in(page, contact.user.email)

    page.get_by_role("link", name="Portal").click()
    page.wait_for_url(re.compile(r"/portal/$"))
    assert page.get_by_role("heading", name="Su cuenta de acceso").is_visible()
    page.get_by_role("link", name="Acuerdos").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Registro de acuerdos"
    assert page.get_by_role("columnheader", name="Referencia").is_visible()
    assert page.get_by_role("button", name="Cerrar sesión").is_visible()


def test_a_board_member_logs_in_with_a_code_and_works_in_french(live_server, portal_page):
    page = portal_page
    user = BoardTermFactory(contact=ContactFactory(with_login=True)).contact.user
    secret = activate_totp(user)

    choose_language(page, live_server.url, "Français", "Change")
    page.get_by_role("link", name="Se connecter").click()
    log_in(page, user.email, secret)

    page.get_by_role("link", name="Portail").click()
    page.wait_for_url(re.compile(r"/portal/$"))
    assert page.get_by_role("heading", name="Votre identifiant").is_visible()
    page.get_by_role("link", name="Accords").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Registre des accords"
    assert page.get_by_role("columnheader", name="Prochain examen").is_visible()
    assert page.get_by_role("button", name="Se déconnecter").is_visible()
