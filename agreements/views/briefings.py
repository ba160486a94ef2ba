"""Published briefings: the list and one briefing."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agreements.apps import BRIEFINGS, REGISTER
from agreements.forms import BriefingFilterForm
from agreements.markdown import render_markdown
from agreements.models import Briefing
from agreements.services import Clearance
from agreements.views.common import CachedListView
from canto_portal.fragments import cached
from members.access import ANYONE, hidden, requires
from members.roles import roles_for

BRIEFINGS_PARAMETERS = ("topic", "page")


class BriefingListView(CachedListView):
    """Published briefings: public ones for anyone, members-only ones too for member
    operators, the Board and the Secretariat. Filtered by topic, newest first."""

    access_rule = ANYONE
    template_name = "agreements/briefing_list.html"
    listing_template_name = "agreements/includes/briefing_listing.html"
    parameters = BRIEFINGS_PARAMETERS
    # Register: the partner whose channel published a briefing.
    shows = (BRIEFINGS, REGISTER)
    paginate_by = 10
    context_object_name = "briefings"

    @classmethod
    def filter(cls, clearance, filters):
        form = BriefingFilterForm(filters)
        briefings = (
            form.filter(Briefing.objects.visible_to(clearance))
            .select_related("channel")
            .prefetch_related("topics")
            # The primary key breaks ties, so pages never share or skip a briefing.
            .order_by("-published_at", "-pk")
        )
        return form, briefings


@require_GET
@requires(ANYONE)
def briefing_detail(request, slug):
    roles = roles_for(request)
    try:
        page = cached(
            "briefing-page",
            briefing_page,
            key=BriefingView(slug, Clearance.of(roles), roles.is_secretariat),
            shows=[BRIEFINGS, REGISTER],
        )
    except Http404:
        return hidden(request, _("No such briefing."))
    return render(request, "agreements/briefing_detail.html", page)


@dataclass(frozen=True)
class BriefingView:
    """What a briefing's page depends on: the briefing, the viewer's clearance, and whether
    the viewer is the Secretariat, who also sees unpublished briefings."""

    slug: str
    clearance: Clearance
    is_secretariat: bool


def briefing_page(view: BriefingView) -> dict:
    """One briefing's title and rendered article, for the cache; 404 (and nothing cached)
    when the viewer may not read it. The Secretariat also sees unpublished ones, marked as a
    preview."""
    slug, clearance, is_secretariat = view.slug, view.clearance, view.is_secretariat
    briefings = Briefing.objects.all() if is_secretariat else Briefing.objects.visible_to(clearance)
    briefing = get_object_or_404(
        briefings.select_related("channel").prefetch_related("topics"), slug=slug
    )
    context = {
        "briefing": briefing,
        "body_html": render_markdown(briefing.body),
        "is_preview": briefing.status != Briefing.Status.PUBLISHED,
    }
    return {
        "title": briefing.title,
        "article": render_to_string("agreements/includes/briefing_article.html", context),
    }
