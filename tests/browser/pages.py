"""Every page each role can reach, found by following the links it is shown, on the demo data.

The site's URL patterns (tests/test_access_rules.py's SITE) name the pages; the demo data gives
each pattern real objects to show. A crawl with Django's test client, which shares the live
server's database, lists one address per page kind (URL name) that answers with HTML, so the
browser then opens each kind once per role."""

from collections import deque
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import Resolver404, resolve

from agreements import demo as agreements_demo
from members import demo as members_demo
from members.demo import DEMO_LOGINS

ROLES = ["anonymous", "operator", "board", "secretariat"]
# Links that act or leave (logging out, switching language), and the admin's delete and history
# pages, which show the change page's data again as a list.
SKIPPED = ("/accounts/logout/", "/delete/", "/i18n/", "/history/")
# A bound on the crawl, well above the pages the Secretariat reaches.
MOST_PAGES = 150


def seed_demo():
    """The demo data with its three demo logins, as `make run` builds it."""
    from django.utils import timezone

    members_demo.seed()
    agreements_demo.seed(timezone.localdate())
    with override_settings(DEBUG=True):
        members_demo.seed_demo_logins()


def user_of(role):
    return None if role == "anonymous" else get_user_model().objects.get(email=DEMO_LOGINS[role])


def page_kind(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def reachable_pages(role):
    """Addresses of one page per kind that `role` reaches by following links from home (and
    from the admin's index for the Secretariat), HTML pages answering 200 only."""
    client = Client()
    user = user_of(role)
    if user is not None:
        client.force_login(user)
    start = ["/"] + (["/admin/"] if role == "secretariat" else [])
    queue, seen_kinds, pages = deque(start), set(), []
    while queue and len(pages) < MOST_PAGES:
        path = queue.popleft()
        kind = page_kind(urlsplit(path).path)
        if kind is None or kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages.append(path)
        queue.extend(links_in(response.content.decode()))
    return pages


def links_in(html):
    from html.parser import HTMLParser

    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href") if tag == "a" else None
            if not href or href.startswith(("#", "mailto:", "tel:")):
                return
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/"):
                return
            if parts.path.startswith(settings.STATIC_URL) or any(s in parts.path for s in SKIPPED):
                return
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))

    Links().feed(html)
    return found


def log_in(context, live_server, role):
    """A page of `context` carrying a session of the role's demo login."""
    from tests.browser.helpers import logged_in_page

    if role == "anonymous":
        return context.new_page()
    return logged_in_page(context, live_server, user_of(role))
