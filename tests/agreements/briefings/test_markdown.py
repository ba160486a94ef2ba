"""Briefing bodies are Markdown rendered to HTML that cannot run anything in a browser."""

from html.parser import HTMLParser

import pytest

from agreements.markdown import render_markdown
from tests.agreements.factories_briefings import BriefingFactory


def elements(html):
    """(tag, {attribute: value}) of every element, as a browser's parser reads them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def event_handlers(html):
    return [name for _tag, attrs in elements(html) for name in attrs if name.startswith("on")]


def test_a_script_tag_is_shown_as_text():
    html = render_markdown("Hello <script>alert('x')</script>")

    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_an_onerror_attribute_in_raw_html_is_inert():
    html = render_markdown('<img src="x" onerror="alert(1)">')

    assert elements(html) == [("p", {})]


def test_an_onerror_attribute_smuggled_into_an_image_title_stays_a_title():
    html = render_markdown('![pic](https://example.org/a.png "x\\" onerror=\\"alert(1)")')

    assert event_handlers(html) == []
    assert "img" in [tag for tag, _attrs in elements(html)]


def test_a_javascript_link_is_not_a_link():
    html = render_markdown("[click](javascript:alert(1))")

    assert "href" not in html


def test_a_javascript_link_in_mixed_case_and_entities_is_not_a_link():
    html = render_markdown("[click](JaVaScRiPt&colon;alert(1)) [two](&#106;avascript:alert(1))")

    assert "href" not in html


def test_links_keep_safe_targets_and_are_marked_nofollow():
    html = render_markdown("[ISOC](https://www.internetsociety.org/)")

    assert 'href="https://www.internetsociety.org/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_markdown_formatting_and_tables_render():
    html = render_markdown("# Title\n\n**bold** and *em*\n\n| a | b |\n|---|---|\n| 1 | 2 |")

    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert "<th>a</th>" in html


@pytest.mark.django_db
def test_the_briefing_page_shows_a_hostile_body_inert(client):
    briefing = BriefingFactory(
        published=True,
        body=(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n<b onmouseover=alert(1)>b</b>"
        ),
    )

    content = client.get(briefing.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in content
    assert 'href="javascript:' not in content
    assert "<b onmouseover" not in content
