"""The Board's decisions: who may vote, the tally, and every change to a resolution, each in
one transaction. Votes lock their resolution's row first, so two directors voting at the same
instant are counted one after the other, and the unique (resolution, director) constraint is
the last word on a double vote."""

import datetime
import functools
from typing import TypeGuard

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import signals
from agreements.models import (
    AgendaItem,
    Agreement,
    BoardMeeting,
    BoardPackDownload,
    Minutes,
    Recusal,
    Resolution,
    Tally,
    Vote,
)
from agreements.models.board import Closed
from canto_portal.pdf import render_pdf
from members.models import BoardTerm, Contact


def board_terms() -> list[tuple[int, datetime.date, datetime.date | None]]:
    """Every board term as (contact, start, end): a few dozen rows, read once per page so that
    any number of tallies costs no further query."""
    return list(BoardTerm.objects.values_list("contact_id", "starts_on", "ends_on"))


def directors_on(day: datetime.date, terms=None) -> set[int]:
    """The contacts on the Board on `day`."""
    return {
        contact
        for contact, starts_on, ends_on in (board_terms() if terms is None else terms)
        if starts_on <= day and (ends_on is None or ends_on >= day)
    }


def quorum_of(eligible: int) -> int:
    """More than BOARD_QUORUM_PERCENT of the eligible directors."""
    return eligible * settings.BOARD_QUORUM_PERCENT // 100 + 1


def tally(resolution: Resolution, terms=None) -> Tally:
    """The count of a resolution's live votes and its derived outcome. Reads the votes and
    recusals through the resolution's relations, so that prefetched ones cost nothing."""
    board = directors_on(resolution.decision_day, terms)
    recused = {recusal.director_id for recusal in resolution.recusals.all()}
    live = [vote for vote in resolution.votes.all() if vote.voided_at is None]
    eligible = len(board - recused)
    counts = dict.fromkeys(Vote.Choice.values, 0)
    for vote in live:
        counts[vote.choice] += 1
    return Tally(
        approve=counts[Vote.Choice.APPROVE],
        oppose=counts[Vote.Choice.OPPOSE],
        abstain=counts[Vote.Choice.ABSTAIN],
        eligible=eligible,
        quorum=quorum_of(eligible),
        closed=resolution.is_closed,
    )


def resolutions_with_tallies(resolutions) -> list[Resolution]:
    """The resolutions, each with its `tally`, in a fixed number of queries."""
    rows = list(
        resolutions.select_related("meeting", "agreement").prefetch_related(
            Prefetch("votes", queryset=Vote.objects.live()), "recusals"
        )
    )
    terms = board_terms()
    for resolution in rows:
        resolution.tally = tally(resolution, terms)
    return rows


def is_director_today(contact: Contact | None) -> TypeGuard[Contact]:
    return contact is not None and contact.pk in directors_on(timezone.localdate())


def interested_directors(resolution: Resolution) -> dict[int, str]:
    """Today's directors whose member organisation is named on the resolution's agreement,
    with the reason they are recused."""
    agreement = resolution.agreement
    if agreement is None:
        return {}
    interests = agreement.member_interests.select_related("member")
    by_member = {interest.member_id: interest for interest in interests}
    directors = Contact.objects.filter(
        pk__in=directors_on(timezone.localdate()), member_id__in=by_member
    )
    return {
        director.pk: _("%(member)s is named on %(reference)s as %(kind)s.")
        % {
            "member": by_member[director.member_id].member.name,
            "reference": agreement.reference,
            "kind": by_member[director.member_id].get_kind_display().lower(),
        }
        for director in directors
    }


def recuse_interested_directors(resolution: Resolution) -> None:
    already = set(resolution.recusals.values_list("director_id", flat=True))
    for director_id, reason in interested_directors(resolution).items():
        if director_id not in already:
            Recusal.objects.create(
                resolution=resolution, director_id=director_id, reason=reason, automatic=True
            )
            # A vote cast before the agreement was linked no longer counts.
            resolution.votes.live().filter(director_id=director_id).update(voided_at=timezone.now())


def announce(signal: Signal, **values) -> None:
    """Sends `signal` once the transaction commits. robust: a queue that fails after the
    commit must not turn a recorded decision into an error page."""
    transaction.on_commit(functools.partial(signal.send, sender=Resolution, **values), robust=True)


def schedule_deadline(resolution: Resolution) -> None:
    """Announces a vote by circulation's deadline, for its reminder and its close. A task
    that finds the deadline moved does nothing, so moving it only queues new ones."""
    announce(signals.deadline_set, resolution_id=resolution.pk, deadline=resolution.deadline)


@transaction.atomic
def open_resolution(
    *,
    title: str,
    text: str,
    method: str,
    proposer: Contact | None = None,
    meeting: BoardMeeting | None = None,
    agenda_item: AgendaItem | None = None,
    agreement: Agreement | None = None,
    approves_minutes: Minutes | None = None,
    deadline: datetime.datetime | None = None,
) -> Resolution:
    """A new resolution, its interested directors recused; a circulation vote is announced."""
    if method == Resolution.Method.CIRCULATION and deadline and deadline <= timezone.now():
        raise ValidationError(_("The deadline of a vote by circulation must be in the future."))
    resolution = Resolution(
        title=title,
        text=text,
        method=method,
        proposer=proposer,
        meeting=meeting,
        agenda_item=agenda_item,
        agreement=agreement,
        approves_minutes=approves_minutes,
        deadline=deadline,
    )
    resolution.full_clean()
    resolution.save()
    recuse_interested_directors(resolution)
    if method == Resolution.Method.CIRCULATION:
        announce(signals.vote_opened, resolution_id=resolution.pk, revision=resolution.revision)
        schedule_deadline(resolution)
    return resolution


def locked(resolution: Resolution) -> Resolution:
    """The resolution's row, locked until the transaction ends; refused once voting ended."""
    row = (
        Resolution.objects.select_for_update(of=("self",))
        .select_related("agreement")
        .get(pk=resolution.pk)
    )
    if row.is_closed:
        raise Closed()
    return row


@transaction.atomic
def edit_resolution(
    *,
    resolution: Resolution,
    title: str,
    text: str,
    deadline: datetime.datetime | None = None,
) -> Resolution:
    """A new wording or deadline. Votes cast on the old wording, its title or its text, no
    longer count: the title says what is decided as much as the text does. They are voided,
    kept on record, and the directors are told; the history keeps both versions."""
    row = locked(resolution)
    if row.voting_has_ended():
        raise ValidationError(_("Voting on this resolution has ended; it can no longer change."))
    reworded = (title, text) != (row.title, row.text)
    deadline_moved = deadline is not None and deadline != row.deadline
    if deadline is not None and deadline_moved and deadline <= timezone.now():
        raise ValidationError(_("The new deadline must be in the future."))
    row.title, row.text = title, text
    if deadline_moved:
        row.deadline = deadline
    if reworded:
        void_votes(row)
    row.full_clean()
    row.save()
    if deadline_moved and row.method == Resolution.Method.CIRCULATION:
        schedule_deadline(row)
    return row


def void_votes(row: Resolution) -> None:
    """What the directors vote on changed: the votes cast on it no longer count. They are
    voided and kept on record, the resolution moves to its next revision and, once the
    transaction commits, the directors are told to vote again. `row` is locked; the caller
    saves it."""
    voided = row.votes.live().update(voided_at=timezone.now())
    row.revision += 1
    if voided:
        announce(signals.votes_voided, resolution_id=row.pk, revision=row.revision)


@transaction.atomic
def cast_vote(
    *,
    resolution: Resolution,
    director: Contact | None,
    choice: str,
    replacing: int | None = None,
    now: datetime.datetime | None = None,
) -> Vote:
    """A director's vote, or a change of it while the resolution is open.

    `replacing` names the vote the director saw when they chose to change it: a second
    first vote (a double submit, a second tab) is refused instead of counting twice."""
    if not is_director_today(director):
        raise ValidationError(_("Only a current director may vote."), code="not_director")
    row = locked(resolution)
    if row.voting_has_ended(now):
        raise ValidationError(_("Voting on this resolution has ended."), code="ended")
    if choice not in Vote.Choice.values:
        raise ValidationError(_("Choose approve, oppose or abstain."), code="choice")
    if row.recusals.filter(director=director).exists():
        raise ValidationError(
            _("You are recused from this resolution and cannot vote on it."), code="recused"
        )
    live = row.votes.live().filter(director=director).first()
    if live is not None and live.pk != replacing:
        raise ValidationError(
            _("You have already voted on this resolution; change your vote instead."),
            code="already_voted",
        )
    if live is not None:
        live.choice = choice
        live.cast_at = now or timezone.now()
        live.save()
        return live
    try:
        with transaction.atomic():
            return Vote.objects.create(
                resolution=row, director=director, choice=choice, cast_at=now or timezone.now()
            )
    except IntegrityError as error:
        raise ValidationError(
            _("You have already voted on this resolution."), code="already_voted"
        ) from error


@transaction.atomic
def declare_recusal(*, resolution: Resolution, director: Contact | None, reason: str) -> Recusal:
    """A director steps aside before voting."""
    if not is_director_today(director):
        raise ValidationError(_("Only a current director may declare a conflict."))
    row = locked(resolution)
    if row.voting_has_ended():
        raise ValidationError(_("Voting on this resolution has ended."))
    if not reason.strip():
        raise ValidationError(_("Say what the conflict is."))
    if row.votes.live().filter(director=director).exists():
        raise ValidationError(_("You have voted already: a conflict is declared before voting."))
    if row.recusals.filter(director=director).exists():
        raise ValidationError(_("You are already recused from this resolution."))
    return Recusal.objects.create(resolution=row, director=director, reason=reason.strip())


@transaction.atomic
def close_resolution(*, resolution: Resolution, now: datetime.datetime | None = None) -> Resolution:
    """Ends the voting; from then on the resolution and its votes refuse every change. The
    result goes to the directors."""
    row = locked(resolution)
    row.closed_at = now or timezone.now()
    row.save()
    if row.approves_minutes_id and tally(row).outcome == Tally.Outcome.CARRIED:
        BoardMeeting.objects.filter(minutes=row.approves_minutes_id).update(
            status=BoardMeeting.Status.MINUTED
        )
    announce(signals.resolution_closed, resolution_id=row.pk)
    return row


def close_due_resolutions(now: datetime.datetime | None = None) -> list[Resolution]:
    """Closes every vote by circulation whose deadline has passed."""
    return [
        close_resolution(resolution=resolution, now=resolution.deadline)
        for resolution in Resolution.objects.due_to_close(now)
    ]


def draft_minutes(*, meeting: BoardMeeting, text: str, by) -> Minutes:
    """The Secretariat's draft of a meeting's minutes (see save_minutes)."""
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    minutes.text = text
    return save_minutes(minutes=minutes, by=by)


@transaction.atomic
def save_minutes(*, minutes: Minutes, by) -> Minutes:
    """Minutes as the Secretariat wrote them; refused once approved. Minutes put to the vote
    are what the directors approve: a change to their text voids the votes cast on them, as
    a change of a resolution's wording does."""
    minutes.drafted_by = by
    minutes.full_clean()
    approving = approval_voted_on(minutes)
    if approving is not None:
        row = locked(approving)
        if refusal := minutes_change_refusal(row):
            raise ValidationError(refusal)
        void_votes(row)
        row.save()
    minutes.save()
    return minutes


def approval_voted_on(minutes: Minutes) -> Resolution | None:
    """The open resolution approving the minutes, when their stored text differs from
    `minutes.text`: what its directors vote on is changing."""
    stored = Minutes.objects.filter(pk=minutes.pk).values_list("text", flat=True).first()
    if stored is None or stored == minutes.text:
        return None
    return Resolution.objects.open().filter(approves_minutes=minutes).first()


def minutes_change_refusal(approving: Resolution) -> str | None:
    """Why minutes put to the vote may not change, or None: once voting on their approval
    has ended, voiding its votes would leave the decision without them."""
    if approving.voting_has_ended():
        return _("Voting on the approval of these minutes has ended; they can no longer change.")
    return None


def pack_agreements(meeting: BoardMeeting) -> list[Agreement]:
    """The agreements the agenda links, with what the pack shows of each, in one go."""
    ids = [item.agreement_id for item in meeting.agenda.all() if item.agreement_id]
    return list(
        Agreement.objects.filter(pk__in=ids).prefetch_related(
            "commitments", "documents", "partners", "reviews"
        )
    )


@transaction.atomic
def board_pack(*, meeting: BoardMeeting, by) -> bytes:
    """The meeting's board pack as a PDF, its download recorded as a read receipt."""
    BoardPackDownload.objects.create(meeting=meeting, user=by)
    return render_pdf(
        "pdf/board_pack.html",
        {
            "meeting": meeting,
            "agenda": list(meeting.agenda.select_related("agreement", "review")),
            "agreements": pack_agreements(meeting),
            "documents": list(meeting.documents.all()),
            "generated_at": timezone.now(),
        },
    )
