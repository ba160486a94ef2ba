"""Rules of the agreement register: who may see what, reviews, and an agreement's history."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import (
    Agreement,
    AgreementDocument,
    Clearance,
    Review,
)
from canto_portal.people import person_name


def documents_visible_to(clearance: Clearance):
    """Documents whose own level and whose agreement's level both admit the viewer."""
    return AgreementDocument.objects.filter(
        agreement__in=Agreement.objects.visible_to(clearance),
        confidentiality__in=clearance.confidentialities,
    )


@transaction.atomic
def record_review(
    *,
    agreement: Agreement,
    reviewer: User,
    outcome: str,
    comments: str = "",
    next_review_on: datetime.date | None = None,
    reviewed_on: datetime.date | None = None,
) -> Review:
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
        locked._history_user = reviewer  # type: ignore[attr-defined]
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
            return person_name(user)
        return value
    return value
