"""The portal's own error pages: in its layout, translated, and saying nothing about why."""

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error


@pytest.mark.django_db
def test_unknown_address_shows_the_portals_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"There is no page at this address" in response.content
    assert b'class="site-header"' in response.content


@pytest.mark.django_db
def test_404_page_is_translated(client):
    client.cookies["django_language"] = "es"

    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 404
    assert b'<html lang="es">' in response.content


@pytest.mark.django_db
def test_request_for_an_unknown_host_shows_the_portals_400_page_without_naming_the_host(client):
    response = client.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert b"could not understand this request" in response.content
    assert b"attacker.example" not in response.content
    assert b"ALLOWED_HOSTS" not in response.content


@pytest.mark.django_db
def test_form_without_its_csrf_token_shows_the_portals_403_page_without_the_reason():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/i18n/setlang/", {"language": "fr"})

    assert response.status_code == 403
    assert b"You may not do this" in response.content
    assert b"CSRF" not in response.content


def test_500_page_renders_in_the_layout_without_a_request_context():
    request = RequestFactory().get("/")

    response = server_error(request)

    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content
    assert b'class="site-header"' in response.content
    assert b"Traceback" not in response.content
