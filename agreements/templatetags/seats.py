"""Council seats on pages of other apps: the member dashboard shows who represents CANTO
without the members app importing the agreements app."""

from django import template
from django.utils.safestring import SafeString

from agreements.models import Clearance
from agreements.services import representative_seats
from agreements.views.seats import REPRESENTATIVES_SHOW
from canto_portal.fragments import fragment
from members.roles import roles_for

register = template.Library()


@register.simple_tag(takes_context=True)
def current_representatives(context) -> SafeString:
    """Who holds each council seat today, of the councils the viewer may see."""
    return fragment(
        "current-representatives",
        "agreements/includes/current_representatives.html",
        current_seats,
        key=Clearance.of(roles_for(context["request"])),
        shows=REPRESENTATIVES_SHOW,
    )


def current_seats(clearance: Clearance) -> dict:
    return {"seats": representative_seats(clearance=clearance)}
