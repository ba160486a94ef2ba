"""No page is wider than a phone or a tablet: at 320, 390 and 768 px, every page each role
reaches fits the viewport, so nothing needs sideways scrolling but a table's own region."""

import pytest
from django.urls import reverse

from tests.browser.pages import ROLES, log_in, reachable_pages, seed_demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = [320, 390, 768]


def widths_overflowing(page, path, base_url):
    """The widths at which the page is wider than the viewport, with how wide it is."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    page.goto(base_url + path)
    overflowing = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            overflowing[width] = f"{scroll_width} px, widest: {page.evaluate(WIDEST)}"
    return overflowing


# The innermost element reaching furthest right, to say what makes a page too wide.
WIDEST = """() => {
  let widest = null, right = 0;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right >= right && box.width > 0) { right = box.right; widest = element; }
  }
  return widest ? `${widest.tagName.toLowerCase()}.${widest.className} (${Math.round(right)})` : "";
}"""


def test_no_page_of_any_role_is_wider_than_the_viewport(live_server, browser_context):
    seed_demo()
    too_wide = {}
    for role in ROLES:
        page = log_in(browser_context, live_server, role)
        for path in reachable_pages(role):
            overflowing = widths_overflowing(page, path, live_server.url)
            if overflowing:
                too_wide[f"{role} {path}"] = overflowing
        page.close()
        browser_context.clear_cookies()

    assert too_wide == {}, "\n".join(f"{page}: {widths}" for page, widths in too_wide.items())


def test_the_register_fits_its_column_at_1280_px_for_the_board(live_server, browser_context):
    seed_demo()
    page = log_in(browser_context, live_server, "board")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("agreements:register"))

    region = page.get_by_role("region", name="Agreement register")
    widths = region.evaluate("region => [region.scrollWidth, region.clientWidth]")

    assert widths[0] <= widths[1]
