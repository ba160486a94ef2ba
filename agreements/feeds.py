"""The Atom feed of public briefings, /briefings/feed/."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from agreements.markdown import render_markdown
from agreements.models import Briefing

FEED_LENGTH = 20


class BriefingAtomFeed(Atom1Feed):
    """Atom with each briefing's full text as <content type="html">, next to its summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class LatestBriefingsFeed(Feed):
    feed_type = BriefingAtomFeed
    title = _("CANTO briefings")
    subtitle = _(
        "Public briefings of the Caribbean Association of National Telecommunication "
        "Organizations on key aspects of the Internet sector."
    )
    author_name = _("CANTO Secretariat")

    def link(self):
        return reverse("agreements:briefings")

    def feed_url(self):
        return reverse("agreements:briefing_feed")

    def items(self):
        return (
            Briefing.objects.published()
            .public()
            .prefetch_related("topics")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, briefing):
        return briefing.title

    def item_description(self, briefing):
        # The summary is plain text; the element is typed html, so it is escaped once.
        return escape(briefing.summary)

    def item_pubdate(self, briefing):
        return briefing.published_at

    def item_updateddate(self, briefing):
        # The text cannot change once published (only a withdrawal, which drops the entry).
        return briefing.published_at

    def item_categories(self, briefing):
        return [topic.name for topic in briefing.topics.all()]

    def item_extra_kwargs(self, briefing):
        return {"content_html": render_markdown(briefing.body)}
