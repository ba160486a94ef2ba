"""/briefings/feed/: a valid Atom document of public published briefings."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

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


def test_each_entry_has_a_unique_id_an_update_time_and_a_link(client):
    briefings = BriefingFactory.create_batch(3, published=True)

    _response, feed = fetch(client)

    ids = [entry.find(f"{ATOM}id").text for entry in entries(feed)]
    assert len(set(ids)) == 3
    for entry in entries(feed):
        assert datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/briefings/")
    assert {b.get_absolute_url() for b in briefings} == {
        entry.find(f"{ATOM}link").get("href").removeprefix("http://testserver")
        for entry in entries(feed)
    }


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
