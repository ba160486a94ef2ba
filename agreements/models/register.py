import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Exists, Func, OuterRef, Prefetch, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from agreements.validators import validate_pdf
from canto_portal.status_moves import GuardedStatusMixin
from canto_portal.versions import WatchedQuerySet


def private_storage():
    """Documents live outside the public media path; only permission-checking views serve them."""
    return storages["private"]


def stored_pdf_name(folder):
    """A name of the portal's own for an uploaded PDF: the uploader's name never reaches the
    disk, so it cannot choose the extension, hide one behind bidi characters, or collide."""
    return f"{folder}/{uuid.uuid4().hex}.pdf"


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    BOARD = "board", _("Board and Secretariat")


class Partner(models.Model):
    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International body")
        REGIONAL = "regional", _("Regional body")
        VENDOR = "vendor", _("Vendor")
        REGULATOR = "regulator", _("Regulator")
        ACADEMIC = "academic", _("Academic")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.short_name or self.name


@dataclass(frozen=True)
class Clearance:
    """The part of a viewer's roles that decides what they may see of agreements, their
    documents, exchanges and briefings. Cached fragments are computed from a clearance alone
    and keyed on it, so they are shared by viewers with the same clearance and never reach
    another."""

    may_see_register: bool
    is_member_operator: bool

    @classmethod
    def of(cls, roles) -> "Clearance":
        return cls(roles.may_see_register, roles.is_member_operator)

    @property
    def confidentialities(self) -> list[str]:
        """The one visibility rule: the confidentiality levels this clearance admits."""
        if self.may_see_register:
            return list(Confidentiality.values)
        if self.is_member_operator:
            return [Confidentiality.PUBLIC, Confidentiality.MEMBERS]
        return [Confidentiality.PUBLIC]


class DaysBefore(Func):
    """A date field minus a number of days held in another field. PostgreSQL subtracts an
    integer from a date directly; SQLite's date() takes the days as a modifier."""

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = models.DateField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '-' || ",
            **extra_context,
        )


# How far ahead an agreement's expiry needs the Board's attention.
EXPIRING_WITHIN_DAYS = 90


class AgreementQuerySet(WatchedQuerySet):
    @staticmethod
    def _expiring(days: int, today: datetime.date) -> Q:
        return Q(
            status=Agreement.Status.ACTIVE,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=days),
        )

    @staticmethod
    def _review_overdue(today: datetime.date) -> Q:
        return Q(
            status__in=[Agreement.Status.ACTIVE, Agreement.Status.NEGOTIATION],
            next_review_on__lt=today,
        )

    @staticmethod
    def _in_notice_period(today: datetime.date) -> Q:
        """Of rows annotated with `notice_from` (AgreementQuerySet.with_notice_from)."""
        return Q(
            status=Agreement.Status.ACTIVE,
            renewal=Agreement.Renewal.NOTICE,
            notice_from__lte=today,
            expires_on__gte=today,
        )

    @staticmethod
    def _flag(condition: Q) -> Case:
        """True for a row that meets `condition`, false for any other, an unknown (NULL) date
        included, as a filter by it would find the row or not."""
        return Case(When(condition, then=Value(True)), default=Value(False))

    def visible_to(self, clearance: Clearance):
        """What a viewer may see, by the agreement's confidentiality."""
        if clearance.may_see_register:
            return self
        return self.filter(confidentiality__in=clearance.confidentialities)

    def expiring_within(self, days, today=None):
        return self.filter(self._expiring(days, today or timezone.localdate()))

    def review_overdue(self, today=None):
        return self.filter(self._review_overdue(today or timezone.localdate()))

    def review_due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.filter(
            status__in=[Agreement.Status.ACTIVE, Agreement.Status.NEGOTIATION],
            next_review_on__gte=today,
            next_review_on__lte=today + datetime.timedelta(days=days),
        )

    def with_notice_from(self):
        """Annotates `notice_from`: the first day of the notice period of an agreement renewed
        by notice (None for the others)."""
        return self.annotate(notice_from=DaysBefore("expires_on", "notice_period_days"))

    def in_notice_period(self, today=None):
        """Active agreements renewed by notice whose notice period has begun: the last days
        in which either side may still give notice."""
        return self.with_notice_from().filter(self._in_notice_period(today or timezone.localdate()))

    def with_flags(self, today=None):
        """Annotates what needs attention, for badges and banners without a query per row:
        `flag_review_overdue`, `flag_expiring` (within 90 days), `flag_in_notice`,
        `flag_commitments_past_due`. The first three are the conditions the filters above
        apply, worked out on each row itself rather than by a subquery each."""
        today = today or timezone.localdate()
        past_due = Commitment.objects.past_due(today).filter(agreement=OuterRef("pk"))
        return self.with_notice_from().annotate(
            flag_review_overdue=self._flag(self._review_overdue(today)),
            flag_expiring=self._flag(self._expiring(EXPIRING_WITHIN_DAYS, today)),
            flag_in_notice=self._flag(self._in_notice_period(today)),
            flag_commitments_past_due=Exists(past_due),
        )

    def for_register_table(self):
        """What the register's table shows of each agreement and no more: its columns, the
        responsible staff member's name and the partners' names (`partner_list`, a list: no
        related manager made for each row), without the summaries, descriptions and password
        hashes the rows would otherwise carry."""
        return (
            self.only(
                "reference",
                "title",
                "kind",
                "status",
                "signed_on",
                "expires_on",
                "confidentiality",
                "next_review_on",
                "responsible__first_name",
                "responsible__last_name",
                "responsible__username",
            )
            .select_related("responsible")
            .prefetch_related(
                Prefetch(
                    "partners",
                    queryset=Partner.objects.only("name", "short_name"),
                    to_attr="partner_list",
                )
            )
        )

    def in_force_on(self, day: datetime.date):
        """Agreements in force on `day`: effective by then, not yet expired, and not ended
        early (terminated or superseded) before it, as the history records the move."""
        ended = Agreement.history.filter(
            id=OuterRef("pk"),
            status__in=[Agreement.Status.TERMINATED, Agreement.Status.SUPERSEDED],
        ).order_by("history_date")
        return (
            self.exclude(status__in=[Agreement.Status.DRAFT, Agreement.Status.NEGOTIATION])
            .filter(effective_from__lte=day)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
            .annotate(ended_at=Subquery(ended.values("history_date")[:1]))
            .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gt=day))
        )


class Agreement(GuardedStatusMixin, models.Model):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        COOPERATION = "cooperation", _("Cooperation agreement")
        SPONSORSHIP = "sponsorship", _("Sponsorship")
        DATA_SHARING = "data_sharing", _("Data sharing")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NEGOTIATION = "negotiation", _("In negotiation")
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")
        SUPERSEDED = "superseded", _("Superseded")

    # The only moves an agreement's status may make.
    STATUS_MOVE_REFUSED = _("An agreement cannot move from %(old)s to %(new)s.")
    ALLOWED_STATUS_CHANGES = {
        Status.DRAFT: {Status.NEGOTIATION},
        Status.NEGOTIATION: {Status.ACTIVE},
        Status.ACTIVE: {Status.EXPIRED, Status.TERMINATED, Status.SUPERSEDED},
        Status.EXPIRED: set(),
        Status.TERMINATED: set(),
        Status.SUPERSEDED: set(),
    }

    class Renewal(models.TextChoices):
        NONE = "none", _("No renewal")
        AUTOMATIC = "automatic", _("Automatic")
        NOTICE = "notice", _("By notice")

    reference = models.CharField(
        _("reference"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^CANTO-AGR-\d{4}-\d{3}$",
                _("Use the form CANTO-AGR-YYYY-NNN, for example CANTO-AGR-2015-001."),
            )
        ],
    )
    title = models.CharField(_("title"), max_length=255)
    partners = models.ManyToManyField(
        Partner, related_name="agreements", verbose_name=_("partners")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.CharField(_("signed at"), max_length=120, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Leave blank when open-ended.")
    )
    renewal = models.CharField(
        _("renewal"), max_length=20, choices=Renewal.choices, default=Renewal.NONE
    )
    notice_period_days = models.PositiveIntegerField(
        _("notice period (days)"), null=True, blank=True
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.BOARD,
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements_responsible_for",
        verbose_name=_("responsible staff member"),
    )
    summary = models.TextField(_("summary"), blank=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "reference"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(expires_on__gt=models.F("effective_from")),
                name="agreement_expires_after_effective",
                violation_error_message=_("The expiry date must be after the effective date."),
            ),
            models.CheckConstraint(
                condition=~Q(renewal="notice") | Q(notice_period_days__isnull=False),
                name="agreement_notice_renewal_has_period",
                violation_error_message=_("Renewal by notice needs a notice period."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["next_review_on"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.reference])


class Signatory(models.Model):
    class Side(models.TextChoices):
        CANTO = "canto", _("CANTO")
        PARTNER = "partner", _("Partner")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("agreement")
    )
    name = models.CharField(_("name or title"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatories",
        verbose_name=_("partner"),
    )

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["side", "name"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.CheckConstraint(
                condition=Q(side="canto", partner__isnull=True)
                | Q(side="partner", partner__isnull=False),
                name="signatory_partner_side_names_partner",
                violation_error_message=_(
                    "A partner's signatory names the partner; CANTO's does not."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class CommitmentQuerySet(WatchedQuerySet):
    def past_due(self, today=None):
        """Commitments whose due date has passed while still open (neither met nor lapsed)."""
        today = today or timezone.localdate()
        return self.filter(due_on__lt=today).exclude(
            status__in=[Commitment.Status.MET, Commitment.Status.LAPSED]
        )


class Commitment(models.Model):
    class OwedBy(models.TextChoices):
        CANTO = "canto", _("CANTO")
        PARTNER = "partner", _("Partner")
        BOTH = "both", _("Both")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        MET = "met", _("Met")
        AT_RISK = "at_risk", _("At risk")
        LAPSED = "lapsed", _("Lapsed")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("agreement")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    owed_by = models.CharField(_("owed by"), max_length=10, choices=OwedBy.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    evidence = models.TextField(_("evidence note"), blank=True)

    history = HistoricalRecords()

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="commitment_number_unique_per_agreement",
                violation_error_message=_(
                    "This agreement already has a commitment with this number."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    @property
    def is_past_due(self):
        return (
            self.due_on is not None
            and self.due_on < timezone.localdate()
            and self.status not in {self.Status.MET, self.Status.LAPSED}
        )


def document_path(instance, filename):
    return stored_pdf_name(f"agreements/{instance.agreement.reference}")


class AgreementDocument(models.Model):
    class Kind(models.TextChoices):
        SIGNED_COPY = "signed_copy", _("Signed copy")
        ANNEX = "annex", _("Annex")
        AMENDMENT = "amendment", _("Amendment")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file (PDF)"), storage=private_storage, upload_to=document_path, validators=[validate_pdf]
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.BOARD,
        help_text=_("Nobody sees a document the agreement itself hides from them."),
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

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "kind", "title"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self):
        return self.title


class Activity(models.Model):
    """A joint programme or event held under an agreement."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        PROGRAMME = "programme", _("Programme")
        EVENT = "event", _("Event")
        MEETING = "meeting", _("Meeting")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="activities", verbose_name=_("agreement")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title


class Review(models.Model):
    """A board member's review of an agreement."""

    class Outcome(models.TextChoices):
        NOTED = "noted", _("Noted")
        RENEW = "renew", _("Renew")
        RENEGOTIATE = "renegotiate", _("Renegotiate")
        TERMINATE = "terminate", _("Terminate")
        ESCALATE = "escalate", _("Escalate")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("agreement")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="agreement_reviews",
        verbose_name=_("reviewer"),
    )
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    comments = models.TextField(_("comments"), blank=True)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        get_latest_by = ["reviewed_on", "created_at"]
        constraints = [
            # A board member's review of an agreement is one act a day: a second one the same
            # day is a double click or a correction, and corrections go through the Secretariat.
            models.UniqueConstraint(
                fields=["agreement", "reviewer", "reviewed_on"],
                name="review_once_per_reviewer_per_day",
                violation_error_message=_(
                    "This board member has already reviewed this agreement that day; the "
                    "Secretariat can correct that review."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.agreement.reference} {self.reviewed_on}: {self.get_outcome_display()}"
