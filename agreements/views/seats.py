"""Who holds CANTO's council seats, and the timeline of their terms."""

import datetime
from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.http import require_GET

from agreements.apps import REGISTER, SEATS
from agreements.forms import AsOfForm
from agreements.models import Clearance
from agreements.services import (
    representative_seats,
    seat_timeline,
    timeline_seats,
)
from canto_portal.fragments import NotKept, fragment
from members.access import REPRESENTATIVES_VIEWER, requires
from members.apps import MEMBERS
from members.roles import roles_for


@require_GET
@requires(REPRESENTATIVES_VIEWER)
def representatives(request):
    """Who holds CANTO's council seats. Member operators, the Board and the Secretariat see
    each seat's current holder, on the councils whose agreement they may see; the Board and
    the Secretariat also see the timeline of every term and vacancy, and nominees. Anyone
    else logged in is refused: the list names people."""
    form = AsOfForm(request.GET)
    on = form.cleaned_data.get("on") if form.is_valid() else None
    listing = fragment(
        "representatives",
        "agreements/includes/representatives.html",
        representatives_context,
        key=SeatsView(clearance=Clearance.of(roles_for(request)), on=on),
        shows=REPRESENTATIVES_SHOW,
    )
    return render(
        request,
        "agreements/representatives.html",
        {"listing": listing, "as_of_form": form, "on": on},
    )


# Seats, their holders with their organisations, and the councils' partners.
REPRESENTATIVES_SHOW = (SEATS, MEMBERS, REGISTER)


@dataclass(frozen=True)
class SeatsView:
    """What the viewer may see of councils, and so whether they see the timeline of every
    term and vacancy (the Board and the Secretariat) or only each seat's current holder."""

    clearance: Clearance
    # A past or future day to show the holders of, instead of today's.
    on: datetime.date | None = None


def representatives_context(view: SeatsView) -> dict | NotKept:
    """Every seat the viewer may see with its current holder and, for the Board and the
    Secretariat, the timeline, for the cached fragment (the day is part of its key). Holders
    on another day are shown without the timeline, and not kept: any day may be asked for."""
    seats = representative_seats(clearance=view.clearance)
    if view.on:
        return NotKept(
            {
                "seats": seats.prefetch_related(None).with_appointments_held_on(
                    view.on, view.clearance
                )
            }
        )
    if not view.clearance.may_see_register:
        return {"seats": seats}
    with_terms = list(timeline_seats(seats))
    return {"seats": with_terms, "timeline": seat_timeline(with_terms)}
