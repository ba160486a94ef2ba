"""Rules of briefings: their content and their workflow from draft to published."""

import datetime
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from agreements.models import (
    Audience,
    Briefing,
    BriefingDelivery,
    BriefingMove,
)
from members.models import Contact

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
    return Contact.objects.of_active_members().filter(receives_briefings=True).exclude(email="")


# Publishing a briefing for these audiences emails the members; public ones reach the site,
# the home page and the feed instead.
EMAILED_AUDIENCES = {Audience.MEMBERS}

Status = Briefing.Status


@dataclass(frozen=True)
class WorkflowMove:
    """One move of the briefing workflow, declared once for the services, the admin's buttons
    and forms, and the site. A briefing for a partner's channel walks through the partner's
    approval; one without a channel goes from draft to published directly."""

    target: Status
    # The statuses the move starts from, with a partner channel and without one.
    from_with_channel: frozenset[Status]
    from_without_channel: frozenset[Status]
    label: "StrOrPromise"
    button: "StrOrPromise"
    # Why the move is refused from a status that only the other kind of briefing may leave.
    channel_refusal: "StrOrPromise" = ""
    # What the note must say when one is required; moves without it take an optional note.
    required_note: "StrOrPromise" = ""
    records_partner_approval: bool = False
    permission: str = "agreements.change_briefing"

    def starts_from(self, briefing: Briefing) -> frozenset[Status]:
        return self.from_with_channel if briefing.channel_id else self.from_without_channel

    def note_required(self) -> bool:
        return bool(self.required_note)


WORKFLOW = {
    "submit": WorkflowMove(
        target=Status.SUBMITTED,
        from_with_channel=frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
        from_without_channel=frozenset(),
        label=_lazy("submitted to the partner"),
        button=_lazy("Submit to the partner"),
        channel_refusal=_lazy(
            "“%(title)s” has no partner channel, so there is nobody to submit it to."
        ),
    ),
    "approve": WorkflowMove(
        target=Status.APPROVED,
        from_with_channel=frozenset({Status.SUBMITTED}),
        from_without_channel=frozenset(),
        label=_lazy("approved by the partner"),
        button=_lazy("Record the partner's approval"),
        records_partner_approval=True,
    ),
    "request_changes": WorkflowMove(
        target=Status.CHANGES_REQUESTED,
        from_with_channel=frozenset({Status.SUBMITTED, Status.APPROVED}),
        from_without_channel=frozenset(),
        label=_lazy("sent back for changes"),
        button=_lazy("Record changes requested"),
        required_note=_lazy("Say which changes the partner asked for."),
    ),
    "publish": WorkflowMove(
        target=Status.PUBLISHED,
        from_with_channel=frozenset({Status.APPROVED}),
        from_without_channel=frozenset({Status.DRAFT}),
        label=_lazy("published"),
        button=_lazy("Publish"),
        channel_refusal=_lazy(
            "“%(title)s” cannot be published without %(partner)s's recorded approval: "
            "submit it to %(partner)s and record their approval first."
        ),
    ),
    "withdraw": WorkflowMove(
        target=Status.WITHDRAWN,
        from_with_channel=frozenset({Status.PUBLISHED}),
        from_without_channel=frozenset({Status.PUBLISHED}),
        label=_lazy("withdrawn"),
        button=_lazy("Withdraw"),
        required_note=_lazy("Say why the briefing is withdrawn."),
    ),
}


def available_moves(briefing: Briefing) -> list[str]:
    """The moves a briefing may make now, in the workflow's order."""
    return [
        name for name, move in WORKFLOW.items() if briefing.status in move.starts_from(briefing)
    ]


def _move(briefing, by, name, note="", **changes):
    """Moves a briefing and records the move, in one transaction; raises ValidationError and
    saves nothing when the move is not allowed from the stored status."""
    move = WORKFLOW[name]
    if move.note_required() and not (note or "").strip():
        raise ValidationError({"note": move.required_note})
    with transaction.atomic():
        # Locked and re-read: two staff members clicking at once make one move, not two.
        locked = (
            Briefing.objects.select_for_update(of=("self",))
            .select_related("channel")
            .get(pk=briefing.pk)
        )
        if locked.status not in move.starts_from(locked):
            other_kind = move.from_with_channel | move.from_without_channel
            if move.channel_refusal and locked.status in other_kind:
                raise ValidationError(
                    move.channel_refusal % {"title": locked.title, "partner": locked.channel}
                )
            raise ValidationError(
                _("“%(title)s” cannot be %(move)s: it is %(status)s.")
                % {
                    "title": locked.title,
                    "move": move.label,
                    "status": locked.get_status_display().lower(),
                }
            )
        if errors := briefing_content_errors(locked.title, locked.body):
            raise ValidationError(errors)
        previous = locked.status
        locked.status = move.target
        for field, value in changes.items():
            setattr(locked, field, value)
        # The model's checks include the database constraints, as readable messages.
        locked.full_clean()
        locked.save()
        recorded = BriefingMove.objects.create(
            briefing=locked, from_status=previous, to_status=move.target, moved_by=by, note=note
        )
    briefing.refresh_from_db()
    return recorded


def submit(*, briefing: Briefing, by: User, note: str = "") -> BriefingMove:
    """Sends a draft, or a briefing with the changes asked for, to the partner for approval."""
    return _move(briefing, by, "submit", note)


def record_partner_approval(
    *,
    briefing: Briefing,
    by: User,
    approved_by: str,
    approved_on: datetime.date | None,
    reference: str = "",
    note: str = "",
) -> BriefingMove:
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


def request_changes(*, briefing: Briefing, by: User, note: str) -> BriefingMove:
    """The partner asks for changes; an approval already given no longer stands."""
    return _move(
        briefing,
        by,
        "request_changes",
        note,
        partner_approved_by="",
        partner_approved_on=None,
        partner_approval_reference="",
    )


def publish(*, briefing: Briefing, by: User, note: str = "") -> BriefingMove:
    """Publishes a briefing. One for a partner's channel needs the partner's recorded approval.
    A members briefing is emailed to its recipients in the background, once the publication
    is committed: publishing never waits on mail."""
    with transaction.atomic():
        recorded = _move(briefing, by, "publish", note, published_at=timezone.now())
        if briefing.audience in EMAILED_AUDIENCES:
            queue_deliveries(briefing)
    return recorded


def withdraw(*, briefing: Briefing, by: User, note: str) -> BriefingMove:
    """Takes a published briefing off the site and the feed; emails not yet sent stop."""
    return _move(briefing, by, "withdraw", note)


def make_move(*, briefing: Briefing, by: User, name: str, data: dict) -> BriefingMove:
    """The move called `name`, with what its form recorded (a note, the partner's approval)."""
    note = data.get("note", "")
    if WORKFLOW[name].records_partner_approval:
        return record_partner_approval(
            briefing=briefing,
            by=by,
            approved_by=data.get("approved_by", ""),
            approved_on=data.get("approved_on"),
            reference=data.get("reference", ""),
            note=note,
        )
    perform = {
        "submit": submit,
        "request_changes": request_changes,
        "publish": publish,
        "withdraw": withdraw,
    }[name]
    return perform(briefing=briefing, by=by, note=note)


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
