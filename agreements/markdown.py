"""Briefing bodies: Markdown rendered to HTML that is safe to show as it is."""

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

# Markdown first, with raw HTML off (a <script> in the body is shown as text, and markdown-it's
# link check drops javascript: links), then nh3 cleans the HTML again with an allow-list: a
# flaw in either step alone still lets nothing executable through.
BRIEFING_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
BRIEFING_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
BRIEFING_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
BRIEFING_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """A briefing's Markdown as HTML that is safe to show as it is."""
    html = BRIEFING_MARKDOWN.render(text or "")
    cleaned = nh3.clean(
        html,
        tags=BRIEFING_TAGS,
        attributes=BRIEFING_ATTRIBUTES,
        url_schemes=BRIEFING_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 with the allow-list above
