"""Shared fixtures for the real-browser tests: Debian's Chromium driven by Playwright.

`playwright install` cannot download browsers on these machines, so the tests use the system
Chromium (installed by .ci/run with apt-get) and skip, saying why, where there is none."""

import os
import shutil

import pytest
from django.db import connections

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason=f"No Chromium at {CHROMIUM}: install it (apt-get install chromium) to run the "
        "browser tests."
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def browser_context(monkeypatch):
    """A fresh browser context in headless Chromium; closed, with Django's connections,
    afterwards."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls
    # from a thread with a running loop unless told that this is intended. Only for these
    # tests: everywhere else the guard stays on.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.set_default_timeout(10_000)
        yield context
        # While Playwright's loop runs, the test thread's database connection is kept apart
        # from the one opened before; close it now or PostgreSQL cannot drop the test
        # database at the end of the run.
        connections.close_all()
        browser.close()


@pytest.fixture
def portal_page(browser_context):
    return browser_context.new_page()
