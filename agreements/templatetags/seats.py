"""Council seats on pages of other apps: the member dashboard shows who represents CANTO
without the members app importing the agreements app."""

from django import template
from django.utils.safestring import SafeString

from agreements.services import representative_seats
from agreements.views.seats import REPRESENTATIVES_SHOW
from canto_portal.fragments import fragment

register = template.Library()


@register.simple_tag
def current_representatives() -> SafeString:
    """Who holds each council seat today: the same for every viewer."""
    return fragment(
        "current-representatives",
        "agreements/includes/current_representatives.html",
        current_seats,
        shows=REPRESENTATIVES_SHOW,
    )


def current_seats() -> dict:
    return {"seats": representative_seats()}
