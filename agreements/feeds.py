"""The Atom feed of public briefings, /briefings/feed/.

Its links and ids are on PORTAL_URL, the portal's public address, whatever host the request
came to. It answers a reader's conditional request (If-None-Match, If-Modified-Since) with 304
when nothing changed (agreements/urls.py)."""

from django.contrib.syndication.views import Feed
from django.db.models import Subquery
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from agreements.markdown import render_markdown
from agreements.models import Briefing
from canto_portal.links import absolute_url

FEED_LENGTH = 20


class BriefingAtomFeed(Atom1Feed):
    """Atom with each briefing's full text as <content type="html">, next to its summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})

    def latest_post_date(self):
        """The feed's update time and Last-Modified: its newest entry's, or the newest
        withdrawal's, after which the feed lists less and a reader must not be told that
        nothing changed."""
        withdrawals = [item["last_withdrawal"] for item in self.items if item["last_withdrawal"]]
        return max([super().latest_post_date(), *withdrawals])


class LatestBriefingsFeed(Feed):
    feed_type = BriefingAtomFeed
    title = _("CANTO briefings")
    subtitle = _(
        "Public briefings of the Caribbean Association of National Telecommunication "
        "Organizations on key aspects of the Internet sector."
    )
    author_name = _("CANTO Secretariat")

    def link(self):
        return absolute_url(reverse("agreements:briefings"))

    def feed_url(self):
        return absolute_url(reverse("agreements:briefing_feed"))

    def items(self):
        # When the last public briefing was withdrawn (its last save: the withdrawal, or a
        # later edit), read in the same query as the entries.
        withdrawals = Briefing.objects.public().filter(status=Briefing.Status.WITHDRAWN)
        last_withdrawal = withdrawals.order_by("-updated_at").values("updated_at")[:1]
        return (
            Briefing.objects.published()
            .public()
            .annotate(last_withdrawal=Subquery(last_withdrawal))
            .prefetch_related("topics")
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )

    def item_link(self, briefing):
        return absolute_url(briefing.get_absolute_url())

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
        return {
            "content_html": render_markdown(briefing.body),
            "last_withdrawal": briefing.last_withdrawal,
        }
