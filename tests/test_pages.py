import pytest
from django.db import DatabaseError

from canto_portal.views import baseline
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_member_and_country_counts(client):
    MemberFactory(country="TT")
    MemberFactory(country="JM")
    MemberFactory(country="JM", status="resigned")

    response = client.get("/")

    assert response.status_code == 200
    assert response.context["member_count"] == 2
    assert response.context["country_count"] == 2


def test_home_page_names_no_member(client):
    MemberFactory(name="Confidential Cable Co")

    assert "Confidential Cable Co" not in client.get("/").text


def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.text == "ok\n"


def test_healthz_answers_503_when_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("canto_portal.views.connection.cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503


def test_healthz_answers_503_when_the_cache_fails(client, monkeypatch):
    def broken_get(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("canto_portal.views.cache.get", broken_get)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.text == "cache unavailable\n"


def test_pages_load_no_asset_from_another_host(client):
    html = client.get("/").text

    assert "https://" not in html.replace("https://www.w3.org", "")
    assert "//cdn" not in html


def test_benchmark_baseline_is_not_served_by_default(client):
    assert client.get("/bench/baseline").status_code == 404


def test_benchmark_baseline_answers_a_constant(rf):
    response = baseline(rf.get("/bench/baseline"))

    assert response.status_code == 200
    assert response.content == b"baseline\n"
