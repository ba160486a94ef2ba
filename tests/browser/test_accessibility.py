"""WCAG 2.2 AA in a real browser: axe-core (bundled by axe-playwright-python, nothing fetched)
finds no critical or serious violation on any page any role reaches, the Secretariat's admin
pages included, on a desktop (1280 px) and on a phone (390 px)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.pages import ROLES, log_in, reachable_pages, seed_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [1280, 390]
BLOCKING = {"critical", "serious"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
}


def blocking_violations(axe, page):
    """'rule (impact) ×count: first target' for each critical or serious violation."""
    found = []
    for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
        if violation["impact"] in BLOCKING:
            nodes = violation["nodes"]
            found.append(
                f"{violation['id']} ({violation['impact']}) ×{len(nodes)}: {nodes[0]['target']}"
            )
    return found


def test_no_page_of_any_role_has_a_critical_or_serious_violation(live_server, browser_context):
    seed_demo()
    axe = Axe()
    violations = {}
    for role in ROLES:
        page = log_in(browser_context, live_server, role)
        for path in reachable_pages(role):
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            page.goto(live_server.url + path)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                found = blocking_violations(axe, page)
                if found:
                    violations[f"{role} {width}px {path}"] = found
        page.close()
        browser_context.clear_cookies()

    assert violations == {}, "\n".join(f"{page}: {found}" for page, found in violations.items())
