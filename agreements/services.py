"""Business rules of the agreements app as plain functions. Sections, in order: agreement
register (issue 4), council seats (issue 5), briefings (issue 6)."""

import datetime
import functools
from dataclasses import dataclass

import nh3
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from agreements.models import (
    Agreement,
    AgreementDocument,
    Appointment,
    Audience,
    Briefing,
    BriefingDelivery,
    BriefingMove,
    Confidentiality,
    InformationExchange,
    Review,
    Seat,
)

# The PostgreSQL exclusion constraint added by migration 0003.
APPOINTMENT_OVERLAP_CONSTRAINT = "appointment_no_overlap_per_seat"

# Agreement register (issue 4)


@dataclass(frozen=True)
class Clearance:
    """The part of a viewer's roles that decides what they may see of agreements, their
    documents and briefings: the two questions the visibility rules (the visible_to methods,
    confidentialities_visible_to, the register's filter form) ask of roles, which a clearance
    answers in their place. Cached fragments are computed from a clearance alone and keyed on
    it, so they are shared by viewers with the same clearance and never reach another."""

    may_see_register: bool
    is_member_operator: bool

    @classmethod
    def of(cls, roles):
        return cls(roles.may_see_register, roles.is_member_operator)


def confidentialities_visible_to(roles):
    """The confidentiality levels a viewer may see: the same rule as Agreement.visible_to."""
    if roles.may_see_register:
        return list(Confidentiality.values)
    if roles.is_member_operator:
        return [Confidentiality.PUBLIC, Confidentiality.MEMBERS]
    return [Confidentiality.PUBLIC]


def documents_visible_to(roles):
    """Documents whose own level and whose agreement's level both admit the viewer."""
    return AgreementDocument.objects.filter(
        agreement__in=Agreement.objects.visible_to(roles),
        confidentiality__in=confidentialities_visible_to(roles),
    )


@transaction.atomic
def record_review(agreement, reviewer, outcome, comments="", next_review_on=None, reviewed_on=None):
    """Records a board review and moves the agreement's next review date with it, in one
    transaction: a review is never stored without its date change, nor the reverse."""
    # Locked so two reviews saved at once cannot leave the agreement with the older date.
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    review = Review(
        agreement=locked,
        reviewer=reviewer,
        outcome=outcome,
        comments=comments,
        next_review_on=next_review_on,
    )
    if reviewed_on is not None:
        review.reviewed_on = reviewed_on
    review.full_clean()
    review.save()
    if locked.next_review_on != next_review_on:
        locked.next_review_on = next_review_on
        # The agreement's history names the reviewer as the one who moved the date.
        locked._history_user = reviewer
        locked.save(update_fields=["next_review_on", "updated_at"])
    agreement.next_review_on = locked.next_review_on
    return review


class HistoryEntry:
    """One saved change to an agreement or one of its commitments, for the agreement page."""

    def __init__(self, record, subject, action, changes):
        self.when = record.history_date
        self.who = record.history_user
        self.subject = subject
        self.action = action
        self.changes = changes


def agreement_history(agreement):
    """Who changed what, when, from what to what, newest first: the agreement's own history
    and its commitments'. Three queries however long the history is (records of each model
    with their users, then the users named in changed user fields)."""
    from django.contrib.auth import get_user_model

    from agreements.models import Commitment

    agreement_records = list(
        agreement.history.select_related("history_user").order_by("history_date", "history_id")
    )
    commitment_records = list(
        Commitment.history.filter(agreement_id=agreement.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    pending = []
    for records, subject_of in (
        (agreement_records, lambda record: _("Agreement")),
        (commitment_records, lambda record: _("Commitment %(number)s") % {"number": record.number}),
    ):
        previous_by_object = {}
        for record in records:
            previous = previous_by_object.get(record.id)
            previous_by_object[record.id] = record
            if record.history_type == "+":
                pending.append((record, subject_of(record), _("created"), []))
            elif record.history_type == "-":
                pending.append((record, subject_of(record), _("deleted"), []))
            elif previous is not None:
                delta = record.diff_against(previous)
                if delta.changes:
                    pending.append((record, subject_of(record), _("changed"), delta.changes))
    user_ids = {
        value
        for record, _subject, _action, changes in pending
        for change in changes
        if _is_user_field(record, change.field)
        for value in (change.old, change.new)
        if value is not None
    }
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    entries = [
        HistoryEntry(
            record,
            subject,
            action,
            [_describe_change(record, change, users) for change in changes],
        )
        for record, subject, action, changes in pending
    ]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _is_user_field(record, name):
    from django.contrib.auth import get_user_model

    field = record.instance_type._meta.get_field(name)
    return field.is_relation and field.related_model is get_user_model()


def _describe_change(record, change, users):
    field = record.instance_type._meta.get_field(change.field)
    return {
        "field": field.verbose_name,
        "old": _display_value(field, change.old, users),
        "new": _display_value(field, change.new, users),
    }


def _display_value(field, value, users):
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and field.related_model is not None:
        user = users.get(value)
        if user is not None:
            return user.get_full_name() or user.get_username()
        return value
    return value


# Council seats (issue 5)


def appoint(seat, contact, starts_on, ends_on=None, status=None, decision=""):
    """Appoints a contact to a seat and returns the saved appointment, or raises a
    ValidationError naming the conflict; nothing is saved then.

    ends_on defaults to a full term of the council (Council.term_end); status defaults to
    active for a term that has started and nominated for one that starts later."""
    if status is None:
        status = (
            Appointment.Status.ACTIVE
            if starts_on <= timezone.localdate()
            else Appointment.Status.NOMINATED
        )
    ends_on = ends_on or seat.council.term_end(starts_on)
    try:
        with transaction.atomic():
            # Lock the seat and its council first: a concurrent appointment to the council
            # waits here until this one commits, then its checks see this appointment.
            seat = Seat.objects.lock_for_appointment(seat.pk)
            appointment = Appointment(
                seat=seat,
                contact=contact,
                starts_on=starts_on,
                ends_on=ends_on,
                status=status,
                decision=decision,
            )
            appointment.full_clean()
            appointment.save()
    except IntegrityError as error:
        raise overlap_conflict(error, appointment) from error
    return appointment


def overlap_conflict(error, appointment):
    """The ValidationError for the PostgreSQL exclusion constraint refusing an overlapping
    appointment that got past the checks in code; other integrity errors are re-raised."""
    if APPOINTMENT_OVERLAP_CONSTRAINT not in str(error):
        raise error
    return ValidationError(
        appointment.overlap_error()
        or _("%(seat)s already has an appointment overlapping %(start)s to %(end)s.")
        % {
            "seat": appointment.seat.label,
            "start": appointment.starts_on.isoformat(),
            "end": appointment.ends_on.isoformat(),
        }
    )


def representative_seats(today=None):
    """Every council seat with its current holder (`current_appointments`), principal seats
    first: the list /representatives/ and the member portal show. Three queries."""
    return (
        Seat.objects.select_related("council__partner", "council__agreement")
        .with_current_appointments(today)
        # "principal" sorts after "alternate", so descending puts principal seats first.
        .order_by("council__name", "-kind", "label")
    )


@dataclass
class TimelineSegment:
    """One bar of a seat's row: a term or a vacancy, placed in percent of the window."""

    starts_on: datetime.date
    ends_on: datetime.date | None
    left: str
    width: str
    appointment: Appointment | None = None
    ending_soon: bool = False
    # A vacancy with no term after it (ends_on None): it lasts until someone is appointed.
    open_ended: bool = False

    @property
    def vacant(self):
        return self.appointment is None


@dataclass
class TimelineRow:
    seat: Seat
    segments: list
    y: int


@dataclass
class SeatTimeline:
    starts_on: datetime.date
    ends_on: datetime.date
    today_left: str
    years: list
    rows: list
    height: int


TIMELINE_MAX_YEARS_BACK = 10
TIMELINE_MAX_YEARS_AHEAD = 4
# Rows of the timeline picture, in SVG user units (pixels).
TIMELINE_AXIS_HEIGHT = 24
TIMELINE_ROW_HEIGHT = 36


def seat_timeline(seats, today=None):
    """Who held which seat when, and the vacancies between, as rows of bars for a picture.

    `seats` must come with `timeline_appointments` (see timeline_seats). The window runs
    from the first of January of the earliest term (at most ten years back, and at least a
    year back) to the last of December after the latest term (at most four years ahead).
    Positions are strings in percent with a dot, so a Spanish page still writes valid SVG."""
    today = today or timezone.localdate()
    seats = list(seats)
    starts = [a.starts_on for seat in seats for a in seat.timeline_appointments]
    ends = [a.ends_on for seat in seats for a in seat.timeline_appointments]
    first_year = max(
        min([*starts, today - datetime.timedelta(days=365)]).year,
        today.year - TIMELINE_MAX_YEARS_BACK,
    )
    last_year = min(
        max([*ends, today + datetime.timedelta(days=365)]).year,
        today.year + TIMELINE_MAX_YEARS_AHEAD,
    )
    window_start = datetime.date(first_year, 1, 1)
    window_end = datetime.date(last_year, 12, 31)
    total_days = (window_end - window_start).days + 1

    def percent(day):
        return f"{(day - window_start).days * 100 / total_days:.3f}"

    def add_segment(segments, starts_on, ends_on, appointment=None):
        """Adds a bar with its true dates (ends_on None: a vacancy until filled), placed and
        sized by the part of it inside the window; a bar wholly outside is left out."""
        shown_from, shown_to = max(starts_on, window_start), min(ends_on or window_end, window_end)
        if shown_from > shown_to:
            return
        width = ((shown_to - shown_from).days + 1) * 100 / total_days
        segments.append(
            TimelineSegment(
                starts_on=starts_on,
                ends_on=ends_on,
                left=percent(shown_from),
                width=f"{width:.3f}",
                appointment=appointment,
                ending_soon=appointment is not None and appointment.ends_soon(today),
                open_ended=ends_on is None,
            )
        )

    rows = []
    for seat in seats:
        agreement = seat.council.agreement
        # Before the agreement took effect there was no seat, so no vacancy either.
        cursor = agreement.effective_from or agreement.signed_on or window_start
        segments = []
        for appointment in seat.timeline_appointments:
            if appointment.starts_on > cursor:
                add_segment(segments, cursor, appointment.starts_on - datetime.timedelta(days=1))
            add_segment(segments, appointment.starts_on, appointment.ends_on, appointment)
            cursor = max(cursor, appointment.ends_on + datetime.timedelta(days=1))
        add_segment(segments, cursor, None)
        y = TIMELINE_AXIS_HEIGHT + len(rows) * TIMELINE_ROW_HEIGHT
        rows.append(TimelineRow(seat=seat, segments=segments, y=y))
    return SeatTimeline(
        starts_on=window_start,
        ends_on=window_end,
        today_left=percent(today),
        years=[
            (year, percent(datetime.date(year, 1, 1))) for year in range(first_year, last_year + 1)
        ],
        rows=rows,
        height=TIMELINE_AXIS_HEIGHT + len(rows) * TIMELINE_ROW_HEIGHT,
    )


def timeline_seats(seats):
    """Adds `timeline_appointments` to seats: every term that occupied the seat, oldest
    first, with the holder and organisation, in one query for all seats."""
    return seats.prefetch_related(
        Prefetch(
            "appointments",
            queryset=Appointment.objects.occupying()
            .select_related("contact__member")
            .order_by("starts_on"),
            to_attr="timeline_appointments",
        )
    )


# Briefings (issue 6)

# A briefing body is text: 200 KB is a long report. More is a pasted file or an attack, and it
# is refused before anything is saved.
BRIEFING_BODY_MAX_CHARS = 200_000

# Markdown first, with raw HTML off (a <script> in the body is shown as text, and markdown-it's
# link check drops javascript: links), then nh3 cleans the HTML again with an allow-list: a
# flaw in either step alone still lets nothing executable through.
BRIEFING_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
BRIEFING_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
BRIEFING_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
BRIEFING_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """A briefing's Markdown as HTML that is safe to show as it is."""
    html = BRIEFING_MARKDOWN.render(text or "")
    cleaned = nh3.clean(
        html,
        tags=BRIEFING_TAGS,
        attributes=BRIEFING_ATTRIBUTES,
        url_schemes=BRIEFING_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 with the allow-list above


def briefing_content_errors(title, body):
    """What is wrong with a briefing's title and body, as {field: message}; empty when fine."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("A briefing needs a title.")
    if not (body or "").strip():
        errors["body"] = _("A briefing needs a body.")
    elif len(body) > BRIEFING_BODY_MAX_CHARS:
        errors["body"] = _(
            "The body has %(count)s characters; a briefing may have at most %(limit)s. "
            "Shorten it, or attach long material to an information exchange as a PDF."
        ) % {"count": f"{len(body):,}", "limit": f"{BRIEFING_BODY_MAX_CHARS:,}"}
    return errors


def briefing_recipients():
    """Who is emailed a members briefing: every contact of an active member with an email
    address who has not opted out on their profile."""
    from members.models import Contact

    return Contact.objects.of_active_members().filter(receives_briefings=True).exclude(email="")


# Publishing a briefing for these audiences emails the members (issue 6, item 4: members
# briefings); public ones reach the site, the home page and the feed instead.
EMAILED_AUDIENCES = {Audience.MEMBERS}

S = Briefing.Status

# Each move of the workflow: the statuses it may start from, and where it leads.
BRIEFING_MOVES = {
    "submit": ({S.DRAFT, S.CHANGES_REQUESTED}, S.SUBMITTED),
    "approve": ({S.SUBMITTED}, S.APPROVED),
    "request_changes": ({S.SUBMITTED, S.APPROVED}, S.CHANGES_REQUESTED),
    # From a draft only without a partner channel; checked in publish().
    "publish": ({S.DRAFT, S.APPROVED}, S.PUBLISHED),
    "withdraw": ({S.PUBLISHED}, S.WITHDRAWN),
}


def move_label(move):
    return {
        "submit": _("submitted to the partner"),
        "approve": _("approved by the partner"),
        "request_changes": _("sent back for changes"),
        "publish": _("published"),
        "withdraw": _("withdrawn"),
    }[move]


def available_moves(briefing):
    """The moves a briefing may make now, for the admin's buttons."""
    return [
        move
        for move, (sources, _target) in BRIEFING_MOVES.items()
        if briefing.status in sources
        and not (move == "submit" and not briefing.channel_id)
        and not (move == "publish" and briefing.channel_id and briefing.status == S.DRAFT)
    ]


def _move(briefing, by, move, note="", check=None, **changes):
    """Moves a briefing and records the move, in one transaction; raises ValidationError and
    saves nothing when the move is not allowed from the stored status."""
    sources, target = BRIEFING_MOVES[move]
    with transaction.atomic():
        # Locked and re-read: two staff members clicking at once make one move, not two.
        locked = Briefing.objects.select_for_update().get(pk=briefing.pk)
        if locked.status not in sources:
            raise ValidationError(
                _("“%(title)s” cannot be %(move)s: it is %(status)s.")
                % {
                    "title": locked.title,
                    "move": move_label(move),
                    "status": locked.get_status_display().lower(),
                }
            )
        if check is not None:
            check(locked)
        if errors := briefing_content_errors(locked.title, locked.body):
            raise ValidationError(errors)
        previous = locked.status
        locked.status = target
        for field, value in changes.items():
            setattr(locked, field, value)
        # The model's checks include the database constraints, as readable messages.
        locked.full_clean()
        locked.save()
        recorded = BriefingMove.objects.create(
            briefing=locked, from_status=previous, to_status=target, moved_by=by, note=note
        )
    briefing.refresh_from_db()
    return recorded


def submit(briefing, by, note=""):
    """Sends a draft, or a briefing with the changes asked for, to the partner for approval."""

    def check(locked):
        if not locked.channel_id:
            raise ValidationError(
                _("“%(title)s” has no partner channel, so there is nobody to submit it to.")
                % {"title": locked.title}
            )

    return _move(briefing, by, "submit", note, check)


def record_partner_approval(briefing, by, approved_by, approved_on, reference="", note=""):
    """Records the partner's approval: who at the partner approved, when, and their reference."""
    errors = {}
    if not (approved_by or "").strip():
        errors["partner_approved_by"] = _("Say who at the partner approved the briefing.")
    if approved_on is None:
        errors["partner_approved_on"] = _("Give the date of the partner's approval.")
    elif approved_on > timezone.localdate():
        errors["partner_approved_on"] = _("The approval date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return _move(
        briefing,
        by,
        "approve",
        note,
        partner_approved_by=approved_by.strip(),
        partner_approved_on=approved_on,
        partner_approval_reference=(reference or "").strip(),
    )


def request_changes(briefing, by, note):
    """The partner asks for changes; an approval already given no longer stands."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Say which changes the partner asked for.")})
    return _move(
        briefing,
        by,
        "request_changes",
        note,
        partner_approved_by="",
        partner_approved_on=None,
        partner_approval_reference="",
    )


def publish(briefing, by, note=""):
    """Publishes a briefing. One for a partner's channel needs the partner's recorded approval.
    A members briefing is emailed to its recipients in the background, once the publication
    is committed: publishing never waits on mail."""

    def check(locked):
        if locked.channel_id and (
            locked.status != S.APPROVED or locked.partner_approved_on is None
        ):
            raise ValidationError(
                _(
                    "“%(title)s” cannot be published without %(partner)s's recorded approval: "
                    "submit it to %(partner)s and record their approval first."
                )
                % {"title": locked.title, "partner": locked.channel}
            )

    with transaction.atomic():
        recorded = _move(briefing, by, "publish", note, check, published_at=timezone.now())
        if briefing.audience in EMAILED_AUDIENCES:
            queue_deliveries(briefing)
    return recorded


def queue_deliveries(briefing):
    """One pending delivery per recipient, written with the publication, and the sender task
    queued when it commits. The rows are the to-do list: a sender that stops halfway leaves
    the rest pending for the next one (agreements/tasks.py)."""
    from agreements.tasks import send_briefing

    BriefingDelivery.objects.bulk_create(
        [
            BriefingDelivery(briefing=briefing, contact_id=contact_id)
            for contact_id in briefing_recipients().values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    # robust: a queue that fails after the commit must not turn a done publication into an
    # error page; the deliveries stay pending and resume_briefing_deliveries queues them.
    transaction.on_commit(functools.partial(send_briefing.enqueue, briefing.pk), robust=True)


def withdraw(briefing, by, note):
    """Takes a published briefing off the site and the feed; emails not yet sent stop."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the briefing is withdrawn.")})
    return _move(briefing, by, "withdraw", note)


def exchanges_visible_to(roles):
    """Information exchanges whose own audience admits the viewer, and whose agreement, when
    they name one, the viewer may see: the rule of agreement documents."""
    return InformationExchange.objects.filter(
        Q(agreement__isnull=True) | Q(agreement__in=Agreement.objects.visible_to(roles)),
        audience__in=confidentialities_visible_to(roles),
    )
