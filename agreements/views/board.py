"""The Board's pages: meetings, their packs and documents, resolutions, votes and recusals.

Only current directors and the Secretariat see them. Anyone else logged in gets 403 on the
index and 404 on every meeting, document and resolution, the answer for one that does not
exist. The Secretariat prepares meetings and resolutions in the back office."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agreements.models import (
    ActionItem,
    BoardMeeting,
    MeetingDocument,
    Minutes,
    Resolution,
    Vote,
)
from agreements.services.board import (
    board_pack,
    board_terms,
    cast_vote,
    declare_recusal,
    resolutions_with_tallies,
    tally,
)
from agreements.views.common import private_pdf_response
from canto_portal.submissions import acts_once
from members.access import BOARD_OR_SECRETARIAT, LOGGED_IN, hidden, requires
from members.roles import roles_for

UPCOMING_SHOWN = 10
PAST_SHOWN = 10


def may_see_board(request) -> bool:
    return roles_for(request).may_see_register


def open_action_items():
    return ActionItem.objects.open().select_related("owner_contact", "owner_staff", "meeting")


@require_GET
@requires(BOARD_OR_SECRETARIAT)
def board_index(request):
    """Meetings to come and past, open resolutions with their tallies, open action items."""
    now = timezone.now()
    meetings = BoardMeeting.objects.all()
    contact = roles_for(request).contact
    return render(
        request,
        "agreements/board/index.html",
        {
            "upcoming": list(
                meetings.filter(starts_at__gte=now).order_by("starts_at")[:UPCOMING_SHOWN]
            ),
            "past": list(meetings.filter(starts_at__lt=now)[:PAST_SHOWN]),
            "open_resolutions": resolutions_with_tallies(Resolution.objects.open()),
            "action_items": list(open_action_items()),
            "contact": contact,
            "today": timezone.localdate(),
        },
    )


def visible_meeting(request, pk):
    if not may_see_board(request):
        return None
    return BoardMeeting.objects.filter(pk=pk).first()


@require_GET
@requires(LOGGED_IN)
def meeting_detail(request, pk):
    meeting = visible_meeting(request, pk)
    if meeting is None:
        return hidden(request, _("No such meeting."))
    is_secretariat = roles_for(request).is_secretariat
    return render(
        request,
        "agreements/board/meeting_detail.html",
        {
            "meeting": meeting,
            "agenda": list(meeting.agenda.select_related("agreement", "review__agreement")),
            "documents": list(meeting.documents.all()),
            "resolutions": resolutions_with_tallies(meeting.resolutions.all()),
            "minutes": Minutes.objects.filter(meeting=meeting)
            .select_related("approving_resolution")
            .first(),
            "action_items": list(open_action_items().filter(meeting=meeting)),
            # Read receipts are the Secretariat's audit record, not the directors' business.
            "downloads": list(meeting.pack_downloads.select_related("user"))
            if is_secretariat
            else None,
            "today": timezone.localdate(),
        },
    )


@require_GET
@requires(LOGGED_IN)
def meeting_pack(request, pk):
    """The board pack, built afresh; every download is recorded as a read receipt."""
    meeting = visible_meeting(request, pk)
    if meeting is None:
        return hidden(request, _("No such meeting."))
    response = HttpResponse(
        board_pack(meeting=meeting, by=request.user), content_type="application/pdf"
    )
    filename = f"board-pack-{meeting.starts_at:%Y-%m-%d}-{slugify(meeting.title)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@requires(LOGGED_IN)
def meeting_document(request, pk):
    document = MeetingDocument.objects.filter(pk=pk).first() if may_see_board(request) else None
    if document is None:
        return hidden(request, _("No such document."))
    return private_pdf_response(document.file, f"{slugify(document.title) or 'document'}.pdf")


def resolution_page(request, resolution, status=200):
    contact = roles_for(request).contact
    votes = list(
        Vote.objects.filter(resolution=resolution)
        .select_related("director")
        .order_by("voided_at", "cast_at")
    )
    recusals = list(resolution.recusals.select_related("director"))
    live = [vote for vote in votes if vote.voided_at is None]
    own_vote = next((vote for vote in live if contact and vote.director_id == contact.pk), None)
    recused = any(contact and recusal.director_id == contact.pk for recusal in recusals)
    resolution_tally = tally(resolution, board_terms())
    return render(
        request,
        "agreements/board/resolution_detail.html",
        {
            "resolution": resolution,
            "tally": resolution_tally,
            "live_votes": live,
            "voided_votes": [vote for vote in votes if vote.voided_at is not None],
            "recusals": recusals,
            "own_vote": own_vote,
            "is_director": roles_for(request).is_board_member,
            "recused": recused,
            "voting_open": not resolution.voting_has_ended(),
            "choices": Vote.Choice.choices,
            "versions": list(resolution.history.order_by("-history_date", "-history_id")),
        },
        status=status,
    )


def visible_resolution(request, pk):
    if not may_see_board(request):
        return None
    return (
        Resolution.objects.select_related("meeting", "agreement", "proposer", "agenda_item")
        .prefetch_related(
            Prefetch("votes", queryset=Vote.objects.live()),
            "recusals",
        )
        .filter(pk=pk)
        .first()
    )


@require_GET
@requires(LOGGED_IN)
def resolution_detail(request, pk):
    resolution = visible_resolution(request, pk)
    if resolution is None:
        return hidden(request, _("No such resolution."))
    return resolution_page(request, resolution)


def refused(request, resolution, error):
    for message in error.messages:
        messages.error(request, message)
    return redirect(resolution)


# The rule first: an anonymous visitor is sent to log in whatever the method.
@requires(LOGGED_IN)
@require_POST
@acts_once
def resolution_vote(request, pk):
    """A director's vote. Everyone else, the Secretariat included, is refused by the service:
    a forged form writes nothing."""
    resolution = visible_resolution(request, pk)
    if resolution is None:
        return hidden(request, _("No such resolution."))
    replacing = request.POST.get("replacing", "")
    try:
        cast_vote(
            resolution=resolution,
            director=roles_for(request).contact,
            choice=request.POST.get("choice", ""),
            replacing=int(replacing) if replacing.isdigit() else None,
        )
    except ValidationError as error:
        return refused(request, resolution, error)
    messages.success(request, _("Your vote is recorded."))
    return redirect(resolution)


@requires(LOGGED_IN)
@require_POST
@acts_once
def resolution_recuse(request, pk):
    resolution = visible_resolution(request, pk)
    if resolution is None:
        return hidden(request, _("No such resolution."))
    try:
        declare_recusal(
            resolution=resolution,
            director=roles_for(request).contact,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        return refused(request, resolution, error)
    messages.success(request, _("Your conflict is declared; you will not vote on this resolution."))
    return redirect(resolution)
