"""Rules of briefings: their content and their workflow from draft to published."""

import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    Audience,
    Briefing,
    BriefingDelivery,
    BriefingMove,
)

# A briefing body is text: 200 KB is a long report. More is a pasted file or an attack, and it
# is refused before anything is saved.
BRIEFING_BODY_MAX_CHARS = 200_000


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
