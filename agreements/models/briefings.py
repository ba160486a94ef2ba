from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.register import Agreement, Clearance, Confidentiality, Partner
from canto_portal.versions import WatchedQuerySet


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    # modeltranslation swaps the manager at run time, where django-stubs cannot follow it.
    objects: ClassVar[models.Manager["Topic"]] = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")


class BriefingQuerySet(WatchedQuerySet):
    """Briefings: what is published and who may read it."""

    def published(self):
        return self.filter(status=Briefing.Status.PUBLISHED)

    def public(self):
        return self.filter(audience=Audience.PUBLIC)

    def visible_to(self, clearance: Clearance):
        """Published briefings the viewer may read: members-only ones for member operators,
        the Board and the Secretariat, public ones for anyone."""
        published = self.published()
        if Confidentiality.MEMBERS in clearance.confidentialities:
            return published
        return published.public()


class Briefing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to partner")
        APPROVED = "approved", _("Approved by partner")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("body (Markdown)"))
    topics = models.ManyToManyField(
        Topic, related_name="briefings", blank=True, verbose_name=_("topics")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="briefings",
        verbose_name=_("agreement"),
    )
    channel = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="briefings",
        verbose_name=_("partner channel"),
        help_text=_("The partner whose channels publish it; its approval is then required."),
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    partner_approved_by = models.CharField(_("approved by (partner)"), max_length=200, blank=True)
    partner_approved_on = models.DateField(_("partner approval date"), null=True, blank=True)
    partner_approval_reference = models.CharField(
        _("partner approval reference"), max_length=120, blank=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BriefingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(channel__isnull=True)
                | Q(partner_approved_on__isnull=False),
                name="briefing_partner_channel_needs_approval",
                violation_error_message=_(
                    "A briefing for a partner's channel cannot be published without the "
                    "partner's recorded approval."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="briefing_published_has_date",
                violation_error_message=_("A published briefing needs its publication time."),
            ),
        ]
        indexes = [models.Index(fields=["status", "audience", "-published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:briefing", args=[self.slug])


class BriefingMove(models.Model):
    """One step of a briefing's workflow: who moved it, from where to where, when."""

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="moves", verbose_name=_("briefing")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Briefing.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Briefing.Status.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("moved by"),
    )
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    objects = WatchedQuerySet.as_manager()

    class Meta:
        ordering = ["briefing", "moved_at"]
        verbose_name = _("briefing move")
        verbose_name_plural = _("briefing moves")

    def __str__(self):
        return f"{self.briefing}: {self.from_status} → {self.to_status}"


class BriefingDelivery(models.Model):
    """One email of a members briefing to one contact; the unique pair makes it once only."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")

    briefing = models.ForeignKey(
        Briefing, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("briefing")
    )
    contact = models.ForeignKey(
        "members.Contact",
        on_delete=models.CASCADE,
        related_name="briefing_deliveries",
        verbose_name=_("contact"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("briefing delivery")
        verbose_name_plural = _("briefing deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["briefing", "contact"], name="briefing_delivery_once_per_contact"
            ),
        ]
        indexes = [models.Index(fields=["briefing", "status"])]

    def __str__(self):
        return f"{self.briefing} → {self.contact}"
