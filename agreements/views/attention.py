"""The Board's attention page, with the register's and the member register's pictures, and
each picture's numbers as CSV."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agreements.apps import ACTION_ITEMS
from agreements.charts import agreement_spans, commitments_by_status
from agreements.models import ActionItem
from canto_portal.attention import BOARD, items_for
from canto_portal.charts import Chart, csv_response
from canto_portal.fragments import fragment
from members.access import ANYONE, BOARD_OR_SECRETARIAT, AccessRule, requires
from members.apps import LOGINS, MEMBERS
from members.charts import dues_invoiced_and_collected, members_by_country, members_joined_and_left
from members.roles import roles_for


def board_charts() -> list[Chart]:
    today = timezone.localdate()
    return [
        agreement_spans(today),
        commitments_by_status(),
        members_by_country(),
        members_joined_and_left(),
        dues_invoiced_and_collected(),
    ]


@require_GET
@requires(BOARD_OR_SECRETARIAT)
def board_attention(request):
    """What needs the Board's attention, each item linking to where it is handled, and the
    viewer's own open action items."""
    today = timezone.localdate()
    contact = roles_for(request).contact
    owner = Owner(request.user.pk, contact.pk if contact else None)
    return render(
        request,
        "agreements/attention.html",
        {
            "items": items_for(BOARD, today),
            "own_action_items": fragment(
                "own-action-items",
                "agreements/board/_action_items.html",
                action_items_of,
                key=owner,
                shows=[ACTION_ITEMS, MEMBERS, LOGINS],
            ),
        },
    )


@dataclass(frozen=True)
class Owner:
    """Whose action items: a login, and the director's contact it belongs to, if any."""

    login: int
    contact: int | None


def action_items_of(owner: Owner) -> dict:
    return {
        "action_items": list(ActionItem.objects.owned_by(login=owner.login, contact=owner.contact)),
        "contact": {"pk": owner.contact},
        "today": timezone.localdate(),
    }


@require_GET
@requires(BOARD_OR_SECRETARIAT)
def board_charts_page(request):
    """Pictures of the register and the membership, each with its table and CSV."""
    return render(request, "agreements/charts.html", {"charts": board_charts()})


# Each picture's builder and who may download its numbers: members by country is on the
# public home page, the rest are the Board's and the Secretariat's.
CHARTS: dict[str, tuple[Callable[[], Chart], AccessRule]] = {
    "members-by-country": (members_by_country, ANYONE),
    "members-joined-and-left": (members_joined_and_left, BOARD_OR_SECRETARIAT),
    "dues-invoiced-and-collected": (dues_invoiced_and_collected, BOARD_OR_SECRETARIAT),
    "agreement-spans": (lambda: agreement_spans(timezone.localdate()), BOARD_OR_SECRETARIAT),
    "commitments-by-status": (commitments_by_status, BOARD_OR_SECRETARIAT),
}


@require_GET
@requires(ANYONE)
def chart_csv(request, slug):
    """A picture's numbers as CSV; each picture's own rule decides who may have them."""
    if slug not in CHARTS:
        raise Http404(_("No such chart."))
    build, rule = CHARTS[slug]
    if refusal := rule.refusal(request):
        return refusal
    return csv_response(build())
