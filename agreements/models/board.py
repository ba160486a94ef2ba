"""The Board's decisions: meetings and their packs, resolutions with votes and recusals,
minutes and action items.

A resolution's outcome is derived from its votes, recusals and the directors of its decision
day; it is never stored. Once closed, a resolution and its votes refuse every change, here in
the model, whoever asks."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.register import Agreement, Review, private_storage, stored_pdf_name
from agreements.validators import validate_pdf
from canto_portal.versions import WatchedQuerySet


class BoardMeeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        MINUTED = "minuted", _("Minuted")

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/Port_of_Spain",
        help_text=_("The time zone the meeting is called in, e.g. America/Port_of_Spain."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("agreements:board_meeting", args=[self.pk])


class AgendaItem(models.Model):
    """One item of a meeting's agenda: an agreement, a review, a report or free text."""

    meeting = models.ForeignKey(
        BoardMeeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("agreement"),
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("review"),
    )
    report = models.CharField(_("report"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_position_once_per_meeting",
                violation_error_message=_("Another item of this agenda has this position."),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    @property
    def report_besides_title(self) -> str:
        """The report, unless the item is named after it: an item titled "Treasurer's report"
        for the treasurer's report would otherwise read the same words twice."""
        if self.report.strip().casefold() == self.title.strip().casefold():
            return ""
        return self.report


def meeting_document_path(instance, filename):
    return stored_pdf_name(f"board/meetings/{instance.meeting_id}")


class MeetingDocument(models.Model):
    meeting = models.ForeignKey(
        BoardMeeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file (PDF)"),
        storage=private_storage,
        upload_to=meeting_document_path,
        validators=[validate_pdf],
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["meeting", "title"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self):
        return self.title


class BoardPackDownload(models.Model):
    """A read receipt: who downloaded a meeting's board pack, and when."""

    meeting = models.ForeignKey(
        BoardMeeting,
        on_delete=models.CASCADE,
        related_name="pack_downloads",
        verbose_name=_("meeting"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="board_pack_downloads",
        verbose_name=_("downloaded by"),
    )
    downloaded_at = models.DateTimeField(_("downloaded at"), default=timezone.now)

    class Meta:
        ordering = ["-downloaded_at"]
        verbose_name = _("board pack download")
        verbose_name_plural = _("board pack downloads")

    def __str__(self):
        return f"{self.meeting} · {self.user} · {self.downloaded_at:%Y-%m-%d %H:%M}"


class AgreementInterest(models.Model):
    """A member organisation named on an agreement as a party or a sponsor: its directors
    are recused from resolutions about that agreement."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Party")
        SPONSOR = "sponsor", _("Sponsor")

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="member_interests",
        verbose_name=_("agreement"),
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="agreement_interests",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("member named on an agreement")
        verbose_name_plural = _("members named on agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "member"],
                name="agreement_interest_once_per_member",
                violation_error_message=_("This member is already named on this agreement."),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()} · {self.agreement.reference}"


class Closed(ValidationError):
    """A change to a closed resolution or to one of its votes."""

    def __init__(self):
        super().__init__(
            _("This resolution is closed: it and its votes can no longer be changed."),
            code="closed",
        )


class ResolutionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def due_to_close(self, now=None):
        return self.open().filter(deadline__lte=now or timezone.now())


class Resolution(models.Model):
    class Method(models.TextChoices):
        MEETING = "meeting", _("At a meeting")
        CIRCULATION = "circulation", _("By circulation")

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    proposer = models.ForeignKey(
        "members.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions_proposed",
        verbose_name=_("proposer"),
    )
    method = models.CharField(_("decided"), max_length=20, choices=Method.choices)
    meeting = models.ForeignKey(
        BoardMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("meeting"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("agenda item"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("agreement"),
    )
    approves_minutes = models.OneToOneField(
        "Minutes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approving_resolution",
        verbose_name=_("approves the minutes of"),
    )
    deadline = models.DateTimeField(_("voting deadline"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()
    objects = ResolutionQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="circulation") | Q(deadline__isnull=False),
                name="resolution_circulation_has_deadline",
                violation_error_message=_("A vote by circulation needs a deadline."),
            ),
            models.CheckConstraint(
                condition=~Q(method="meeting") | Q(meeting__isnull=False),
                name="resolution_at_meeting_names_it",
                violation_error_message=_("A resolution decided at a meeting names the meeting."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:board_resolution", args=[self.pk])

    @property
    def is_closed(self):
        return self.closed_at is not None

    def voting_has_ended(self, now=None):
        return self.is_closed or bool(self.deadline and (now or timezone.now()) >= self.deadline)

    @property
    def decision_day(self) -> datetime.date:
        """The day whose directors decide: the closing day, or today while open."""
        return timezone.localdate(self.closed_at) if self.closed_at else timezone.localdate()

    def stored_row_is_closed(self):
        return (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, closed_at__isnull=False).exists()
        )

    def save(self, *args, **kwargs):
        if self.stored_row_is_closed():
            raise Closed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.stored_row_is_closed():
            raise Closed()
        return super().delete(*args, **kwargs)


class VoteQuerySet(models.QuerySet):
    def live(self):
        """Votes that count: not voided by a change of the resolution's wording."""
        return self.filter(voided_at__isnull=True)


class Vote(models.Model):
    class Choice(models.TextChoices):
        APPROVE = "approve", _("Approve")
        OPPOSE = "oppose", _("Oppose")
        ABSTAIN = "abstain", _("Abstain")

    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, related_name="votes", verbose_name=_("resolution")
    )
    # The contact, not the login: a director whose term ended keeps their votes on record
    # under their name.
    director = models.ForeignKey(
        "members.Contact",
        on_delete=models.PROTECT,
        related_name="board_votes",
        verbose_name=_("director"),
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    objects = VoteQuerySet.as_manager()

    class Meta:
        ordering = ["cast_at"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "director"],
                condition=Q(voided_at__isnull=True),
                name="vote_once_per_director",
                violation_error_message=_("This director has already voted on this resolution."),
            ),
        ]

    def __str__(self):
        return f"{self.director} · {self.get_choice_display()}"

    def resolution_is_closed(self):
        return Resolution.objects.filter(pk=self.resolution_id, closed_at__isnull=False).exists()

    def save(self, *args, **kwargs):
        if self.resolution_is_closed():
            raise Closed()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.resolution_is_closed():
            raise Closed()
        return super().delete(*args, **kwargs)


class Recusal(models.Model):
    resolution = models.ForeignKey(
        Resolution, on_delete=models.PROTECT, related_name="recusals", verbose_name=_("resolution")
    )
    director = models.ForeignKey(
        "members.Contact",
        on_delete=models.PROTECT,
        related_name="board_recusals",
        verbose_name=_("director"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    automatic = models.BooleanField(_("automatic"), default=False)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        ordering = ["declared_at"]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "director"],
                name="recusal_once_per_director",
                violation_error_message=_("This director is already recused."),
            ),
        ]

    def __str__(self):
        return f"{self.director} · {self.reason}"

    def save(self, *args, **kwargs):
        if Resolution.objects.filter(pk=self.resolution_id, closed_at__isnull=False).exists():
            raise Closed()
        super().save(*args, **kwargs)


@dataclass(frozen=True)
class Tally:
    """A resolution's count and the outcome it gives; computed, never stored."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        CARRIED = "carried", _("Carried")
        FAILED = "failed", _("Failed")
        NO_QUORUM = "no_quorum", _("No quorum")

    approve: int
    oppose: int
    abstain: int
    eligible: int
    quorum: int
    closed: bool

    @property
    def cast(self):
        return self.approve + self.oppose + self.abstain

    @property
    def outcome(self):
        if not self.closed:
            return self.Outcome.OPEN
        if self.cast < self.quorum:
            return self.Outcome.NO_QUORUM
        return self.Outcome.CARRIED if self.approve > self.oppose else self.Outcome.FAILED

    @property
    def outcome_label(self):
        return self.outcome.label


class MinutesQuerySet(models.QuerySet):
    def awaiting_approval(self):
        return self.exclude(approving_resolution__closed_at__isnull=False)


class Minutes(models.Model):
    """The Secretariat's minutes of a meeting; frozen once the resolution approving them is
    closed."""

    meeting = models.OneToOneField(
        BoardMeeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("meeting")
    )
    text = models.TextField(_("text"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)

    def stored_row_is_frozen(self):
        return (
            self.pk is not None
            and Resolution.objects.filter(
                approves_minutes_id=self.pk, closed_at__isnull=False
            ).exists()
        )

    def save(self, *args, **kwargs):
        if self.stored_row_is_frozen():
            raise ValidationError(
                _("These minutes are approved and frozen."), code="minutes_frozen"
            )
        super().save(*args, **kwargs)


class ActionItemQuerySet(WatchedQuerySet):
    def open(self):
        return self.exclude(status__in=[ActionItem.Status.DONE, ActionItem.Status.CANCELLED])

    def owned_by(self, *, login, contact=None):
        """Open items whose owner is this login (Secretariat staff), or the director whose
        contact it is, earliest due first."""
        owner = Q(owner_staff=login)
        if contact is not None:
            owner |= Q(owner_contact=contact)
        return (
            self.open()
            .filter(owner)
            .select_related("meeting", "owner_contact", "owner_staff")
            .order_by("due_on", "title")
        )


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(
        BoardMeeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("meeting"),
    )
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("resolution"),
    )
    title = models.CharField(_("title"), max_length=200)
    # Directors are contacts, Secretariat staff are logins: exactly one of the two is the owner.
    owner_contact = models.ForeignKey(
        "members.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_action_items",
        verbose_name=_("owner (director)"),
    )
    owner_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_action_items",
        verbose_name=_("owner (Secretariat)"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "title"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_contact__isnull=True, owner_staff__isnull=False)
                | Q(owner_contact__isnull=False, owner_staff__isnull=True),
                name="action_item_has_one_owner",
                violation_error_message=_("An action item has one owner: a director or staff."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def owner_name(self):
        if self.owner_contact_id:
            return self.owner_contact.name
        return self.owner_staff.get_full_name() or self.owner_staff.get_username()

    @property
    def owner_email(self):
        return self.owner_contact.email if self.owner_contact_id else self.owner_staff.email

    def is_overdue(self, today=None):
        return self.due_on < (today or timezone.localdate())
