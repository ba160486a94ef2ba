"""/briefings/feed/: a valid Atom document of public published briefings."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from tests.agreements.factories_briefings import BriefingFactory, topic

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = reverse("agreements:briefing_feed")


def fetch(client):
    response = client.get(FEED_URL)
    assert response.status_code == 200
    return response, ET.fromstring(response.content)


def entries(feed):
    return feed.findall(f"{ATOM}entry")


def test_the_feed_is_an_atom_document(client):
    BriefingFactory(published=True)

    response, feed = fetch(client)

    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text


def test_the_feed_lists_only_public_published_briefings(client):
    public = BriefingFactory(published=True, title="Public one")
    BriefingFactory(published=True, members=True, title="Members one")
    BriefingFactory(title="Draft one")
    BriefingFactory(published=True, status="withdrawn", title="Withdrawn one")

    _response, feed = fetch(client)

    assert [entry.find(f"{ATOM}title").text for entry in entries(feed)] == [public.title]


def test_each_entry_has_a_unique_id_an_update_time_and_a_link(client, settings):
    settings.PORTAL_URL = "https://portal.example"
    briefings = BriefingFactory.create_batch(3, published=True)

    _response, feed = fetch(client)

    ids = [entry.find(f"{ATOM}id").text for entry in entries(feed)]
    assert len(set(ids)) == 3
    for entry in entries(feed):
        assert datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}link").get("href").startswith("https://portal.example/briefings/")
    assert {b.get_absolute_url() for b in briefings} == {
        entry.find(f"{ATOM}link").get("href").removeprefix("https://portal.example")
        for entry in entries(feed)
    }


def test_links_and_ids_are_on_the_portals_public_address_not_the_requests(client, settings):
    # Behind the proxy the request's host has lost the public port.
    settings.PORTAL_URL = "http://portal.example:8443"
    settings.ALLOWED_HOSTS = ["portal.example"]
    BriefingFactory(published=True)

    feed = ET.fromstring(client.get(FEED_URL, HTTP_HOST="portal.example").content)

    addresses = [feed.find(f"{ATOM}id").text, entries(feed)[0].find(f"{ATOM}id").text]
    addresses += [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert len(addresses) == 5
    assert all(a.startswith("http://portal.example:8443/briefings/") for a in addresses)


def test_a_reader_whose_copy_is_as_new_as_last_modified_gets_not_modified(client):
    BriefingFactory(published=True)
    response, _feed = fetch(client)

    again = client.get(FEED_URL, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])

    assert again.status_code == 304
    assert again.content == b""


def test_a_reader_whose_copy_has_the_etag_gets_not_modified(client):
    BriefingFactory(published=True)
    response, _feed = fetch(client)

    again = client.get(FEED_URL, HTTP_IF_NONE_MATCH=response["ETag"])

    assert again.status_code == 304


def test_a_withdrawal_makes_the_feed_modified_again(client, secretariat_user):
    published_at = timezone.now() - datetime.timedelta(days=3)
    BriefingFactory(published=True, published_at=published_at - datetime.timedelta(days=1))
    newest = BriefingFactory(published=True, published_at=published_at)
    response, _feed = fetch(client)

    services.withdraw(briefing=newest, by=secretariat_user, note="Sent too early.")

    again = client.get(FEED_URL, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 200
    assert len(entries(ET.fromstring(again.content))) == 1


def test_the_feed_is_updated_when_its_newest_briefing_was_published(client):
    newest = timezone.now() - datetime.timedelta(days=1)
    BriefingFactory(published=True, published_at=newest - datetime.timedelta(days=30))
    BriefingFactory(published=True, published_at=newest)

    _response, feed = fetch(client)

    assert datetime.datetime.fromisoformat(feed.find(f"{ATOM}updated").text) == newest


def test_entries_carry_topics_and_the_sanitised_body(client):
    BriefingFactory(
        published=True,
        body="**Bold** <script>alert(1)</script>",
        topics=[topic("cybersecurity")],
    )

    _response, feed = fetch(client)

    entry = entries(feed)[0]
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Cybersecurity"]
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<strong>Bold</strong>" in content.text
    assert "<script>" not in content.text


def test_the_feed_costs_the_same_queries_for_more_briefings(client, django_assert_num_queries):
    BriefingFactory.create_batch(2, published=True, topics=[topic("spam")])
    with django_assert_num_queries(2):
        fetch(client)

    BriefingFactory.create_batch(10, published=True, topics=[topic("spam")])
    with django_assert_num_queries(2):
        fetch(client)
