"""Who holds CANTO's council seats, and the timeline of their terms."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agreements.services import (
    representative_seats,
    seat_timeline,
    timeline_seats,
)
from canto_portal.fragments import fragment
from members.roles import roles_for


@require_GET
def representatives(request):
    """Who holds CANTO's council seats. Member operators, the Board and the Secretariat see
    each seat's current holder; the Board and the Secretariat also see the timeline of every
    term and vacancy. Anyone else logged in is refused: the list names people."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    roles = roles_for(request)
    if not (roles.is_member_operator or roles.may_see_register):
        raise PermissionDenied
    with_timeline = roles.may_see_register
    listing = fragment(
        "representatives",
        "agreements/includes/representatives.html",
        lambda: representatives_context(with_timeline),
        vary_on=(with_timeline,),
    )
    return render(request, "agreements/representatives.html", {"listing": listing})


def representatives_context(with_timeline):
    """Every seat with its current holder and, for the Board and the Secretariat, the
    timeline, for the cached fragment (the day is part of its key)."""
    seats = representative_seats()
    if not with_timeline:
        return {"seats": seats}
    seats = list(timeline_seats(seats))
    return {"seats": seats, "timeline": seat_timeline(seats)}
