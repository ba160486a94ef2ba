from collections import Counter

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agreements import services as briefing_services
from agreements.forms import BriefingAdminForm, MoveNoteForm, PartnerApprovalForm
from agreements.models import (
    ENDING_SOON_DAYS,
    Activity,
    Agreement,
    AgreementDocument,
    Appointment,
    Briefing,
    BriefingDelivery,
    BriefingMove,
    Commitment,
    Council,
    InformationExchange,
    Partner,
    Review,
    Seat,
    SentAlert,
    Signatory,
    Topic,
)
from agreements.resources import (
    AgreementResource,
    AppointmentResource,
    CommitmentResource,
    PartnerResource,
)
from members.resources import RegisterImportExportMixin

# Sections, in order: agreement register (issue 4), council seats (issue 5), briefings (issue 6).

# Agreement register (issue 4)


@admin.register(Partner)
class PartnerAdmin(RegisterImportExportMixin, admin.ModelAdmin):
    resource_classes = [PartnerResource]
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name"]


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 0


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    fields = ["number", "text", "owed_by", "status", "due_on", "evidence"]


class AgreementDocumentInline(admin.TabularInline):
    model = AgreementDocument
    extra = 0
    fields = ["kind", "title", "file", "confidentiality", "download", "uploaded_by", "uploaded_at"]
    readonly_fields = ["download", "uploaded_by", "uploaded_at"]
    # The default widget links to the storage URL, which private storage never serves; the
    # download column links to the view that checks permission instead.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput(attrs={"accept": ".pdf"})}}

    @admin.display(description=_("download"))
    def download(self, document):
        if not document.pk:
            return "—"
        url = reverse("agreements:document", args=[document.agreement.reference, document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))


class ActivityInline(admin.StackedInline):
    model = Activity
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(RegisterImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [AgreementResource]
    list_display = [
        "reference",
        "title",
        "kind",
        "status",
        "signed_on",
        "expires_on",
        "confidentiality",
        "next_review_on",
        "responsible",
    ]
    list_filter = ["status", "kind", "confidentiality", "partners"]
    list_select_related = ["responsible"]
    search_fields = ["reference", "title", "partners__name"]
    date_hierarchy = "signed_on"
    filter_horizontal = ["partners"]
    autocomplete_fields = ["superseded_by"]
    inlines = [SignatoryInline, CommitmentInline, AgreementDocumentInline, ActivityInline]
    fieldsets = [
        (None, {"fields": ["reference", "title", "partners", "kind", "status", "summary"]}),
        (
            _("Dates"),
            {
                "fields": [
                    "signed_on",
                    "signed_at",
                    "effective_from",
                    "expires_on",
                    "renewal",
                    "notice_period_days",
                    "superseded_by",
                ]
            },
        ),
        (_("Oversight"), {"fields": ["confidentiality", "responsible", "next_review_on"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible":
            # The responsible staff member comes from the Secretariat.
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, AgreementDocument) and instance.uploaded_by_id is None:
                instance.uploaded_by = request.user
            instance.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(Commitment)
class CommitmentAdmin(RegisterImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [CommitmentResource]
    list_display = ["agreement", "number", "owed_by", "status", "due_on"]
    list_filter = ["status", "owed_by"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__reference", "text"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Board members record reviews on the site; the Secretariat reads and corrects them."""

    list_display = ["agreement", "reviewed_on", "outcome", "reviewer", "next_review_on"]
    list_filter = ["outcome"]
    list_select_related = ["agreement", "reviewer"]
    search_fields = ["agreement__reference", "comments"]


@admin.register(SentAlert)
class SentAlertAdmin(admin.ModelAdmin):
    """The record of alerts sent by send_alerts: read-only, it is what keeps them once only."""

    list_display = ["key", "sent_at", "recipients"]
    search_fields = ["key", "recipients"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Council seats (issue 5)


class SeatInlineFormSet(forms.BaseInlineFormSet):
    """Seat.clean checks one seat against the seats already saved; this checks the seats of
    the form together, so adding two at once cannot pass the council's grant either."""

    def clean(self):
        super().clean()
        council = self.instance
        counts = Counter(
            form.cleaned_data.get("kind")
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        )
        for kind, count in counts.items():
            granted = council.granted_seats(kind) if kind else None
            if granted is not None and count > granted:
                raise forms.ValidationError(
                    _("%(council)s is granted %(granted)s %(kind)s seats; this form has %(count)s.")
                    % {
                        "council": council.name,
                        "granted": granted,
                        "kind": Seat.Kind(kind).label.lower(),
                        "count": count,
                    }
                )


class SeatInline(admin.TabularInline):
    model = Seat
    formset = SeatInlineFormSet
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "partner",
        "agreement",
        "granted_principal_seats",
        "granted_alternate_seats",
        "term_months",
        "max_consecutive_terms",
    ]
    list_select_related = ["partner", "agreement"]
    search_fields = ["name", "partner__name"]
    inlines = [SeatInline]


class SeatOccupancyFilter(admin.SimpleListFilter):
    title = _("occupancy")
    parameter_name = "occupancy"

    def lookups(self, request, model_admin):
        return [("vacant", _("Vacant today")), ("held", _("Held today"))]

    def queryset(self, request, queryset):
        if self.value() == "vacant":
            return queryset.vacant()
        if self.value() == "held":
            return queryset.exclude(pk__in=queryset.vacant().values("pk"))
        return queryset


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["label", "council", "kind", "holder"]
    list_filter = [SeatOccupancyFilter, "kind", "council"]
    search_fields = ["label", "council__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("council").with_current_appointments()

    @admin.display(description=_("holder today"))
    def holder(self, seat):
        appointment = seat.current_appointments[0] if seat.current_appointments else None
        if appointment is None:
            return _("Vacant")
        return f"{appointment.contact.name} ({appointment.contact.member.name})"


class AppointmentTermFilter(admin.SimpleListFilter):
    title = _("term")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Current")),
            ("ending", _("Ending within 90 days")),
            ("later", _("Starting later")),
            ("past", _("Ended")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "current":
                return queryset.current(today)
            case "ending":
                return queryset.ending_within(ENDING_SOON_DAYS, today)
            case "later":
                return queryset.filter(starts_on__gt=today)
            case "past":
                return queryset.filter(ends_on__lt=today)
        return queryset


class AppointmentAdminForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["seat", "contact", "starts_on", "ends_on", "status", "decision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False
        self.fields["ends_on"].help_text = _("Leave empty for a full term of the council.")

    def clean(self):
        cleaned_data = super().clean()
        seat = cleaned_data.get("seat")
        if seat is not None:
            # The admin saves inside one transaction: locking the seat and its council here,
            # before the model's checks, makes a concurrent appointment wait for this one, as
            # agreements.services.appoint does.
            seat = Seat.objects.lock_for_appointment(seat.pk)
            if cleaned_data.get("starts_on") and not cleaned_data.get("ends_on"):
                cleaned_data["ends_on"] = seat.council.term_end(cleaned_data["starts_on"])
        return cleaned_data


@admin.register(Appointment)
class AppointmentAdmin(RegisterImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [AppointmentResource]
    form = AppointmentAdminForm
    list_display = ["contact", "member", "seat", "starts_on", "ends_on", "status"]
    list_filter = [AppointmentTermFilter, "status", "seat__council"]
    list_select_related = ["contact__member", "seat__council"]
    search_fields = ["contact__name", "contact__member__name", "decision"]
    autocomplete_fields = ["contact"]
    date_hierarchy = "starts_on"

    @admin.display(description=_("organisation"), ordering="contact__member__name")
    def member(self, appointment):
        return appointment.contact.member.name


# Briefings (issue 6)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class BriefingMoveInline(admin.TabularInline):
    """The workflow's history: written only by the moves, never edited."""

    model = BriefingMove
    extra = 0
    can_delete = False
    fields = ["moved_at", "from_status", "to_status", "moved_by", "note"]
    readonly_fields = fields
    verbose_name_plural = _("history of moves")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The text the partner approves: editable only while the briefing is a draft or back for changes.
BRIEFING_CONTENT_FIELDS = [
    "title",
    "slug",
    "summary",
    "body",
    "topics",
    "agreement",
    "channel",
    "audience",
]
BRIEFING_EDITABLE_STATUSES = {Briefing.Status.DRAFT, Briefing.Status.CHANGES_REQUESTED}

BRIEFING_MOVE_BUTTONS = {
    "submit": _("Submit to the partner"),
    "approve": _("Record the partner's approval"),
    "request_changes": _("Record changes requested"),
    "publish": _("Publish"),
    "withdraw": _("Withdraw"),
}

# Moves that need a note, and what the note should say.
BRIEFING_MOVE_NOTES = {
    "request_changes": _("Which changes the partner asked for."),
    "withdraw": _("Why the briefing is withdrawn."),
}


# Set only by the workflow's moves, never typed in the form.
WORKFLOW_FIELDS = [
    "status",
    "partner_approved_by",
    "partner_approved_on",
    "partner_approval_reference",
    "published_at",
    "deliveries",
    "created_by",
]


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    form = BriefingAdminForm
    change_form_template = "admin/agreements/briefing/change_form.html"
    list_display = ["title", "status", "audience", "channel", "published_at"]
    list_filter = ["status", "audience", "channel", "topics"]
    list_select_related = ["channel"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    inlines = [BriefingMoveInline]
    actions = ["submit_selected", "publish_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "topics"]}),
        (_("Channel and audience"), {"fields": ["agreement", "channel", "audience"]}),
        (
            _("Workflow"),
            {"fields": WORKFLOW_FIELDS},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(WORKFLOW_FIELDS)
        if obj is not None and obj.status not in BRIEFING_EDITABLE_STATUSES:
            readonly += BRIEFING_CONTENT_FIELDS
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.status not in BRIEFING_EDITABLE_STATUSES:
            return {}
        return super().get_prepopulated_fields(request, obj)

    @admin.display(description=_("emails to members"))
    def deliveries(self, briefing):
        if not briefing.pk:
            return "—"
        counts = briefing.deliveries.aggregate(
            sent=Count("pk", filter=Q(status=BriefingDelivery.Status.SENT)),
            pending=Count("pk", filter=Q(status=BriefingDelivery.Status.PENDING)),
        )
        return _("%(sent)s sent, %(pending)s pending") % counts

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        briefing = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if briefing is not None and self.has_change_permission(request, briefing):
            extra_context["briefing_moves"] = [
                (move, BRIEFING_MOVE_BUTTONS[move])
                for move in briefing_services.available_moves(briefing)
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/move/<str:move>/",
                self.admin_site.admin_view(self.move_view),
                name="agreements_briefing_move",
            ),
            *super().get_urls(),
        ]

    def move_view(self, request, object_id, move):
        """One workflow move of one briefing: a form for what the move records, then the
        move itself through agreements.services, which refuses a move the status forbids."""
        briefing = self.get_object(request, object_id)
        if briefing is None or move not in briefing_services.BRIEFING_MOVES:
            raise Http404(_("No such briefing or move."))
        if not self.has_change_permission(request, briefing):
            raise PermissionDenied
        # A move's form may be posted empty (a publish without a note), and is still bound.
        data = request.POST if request.method == "POST" else None
        if move == "approve":
            form = PartnerApprovalForm(data)
        else:
            form = MoveNoteForm(
                data,
                note_required=move in BRIEFING_MOVE_NOTES,
                note_help=BRIEFING_MOVE_NOTES.get(move, ""),
            )
        change_url = reverse("admin:agreements_briefing_change", args=[briefing.pk])
        if request.method == "POST" and form.is_valid():
            try:
                self.make_move(briefing, request.user, move, form.cleaned_data)
            except ValidationError as error:
                for field, messages_ in error_fields(error).items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                self.message_user(
                    request,
                    _("“%(title)s” is %(move)s.")
                    % {"title": briefing.title, "move": briefing_services.move_label(move)},
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(title)s: %(move)s")
            % {"title": briefing.title, "move": briefing_services.move_label(move)},
            "opts": self.opts,
            "original": briefing,
            "form": form,
            "move": move,
            "button": BRIEFING_MOVE_BUTTONS[move],
            "change_url": change_url,
            "recipient_count": (
                briefing_services.briefing_recipients().count()
                if move == "publish" and briefing.audience == "members"
                else None
            ),
        }
        return TemplateResponse(request, "admin/agreements/briefing/move.html", context)

    @staticmethod
    def make_move(briefing, user, move, data):
        note = data.get("note", "")
        match move:
            case "submit":
                briefing_services.submit(briefing, user, note)
            case "approve":
                briefing_services.record_partner_approval(
                    briefing,
                    user,
                    approved_by=data["approved_by"],
                    approved_on=data["approved_on"],
                    reference=data.get("reference", ""),
                    note=note,
                )
            case "request_changes":
                briefing_services.request_changes(briefing, user, note)
            case "publish":
                briefing_services.publish(briefing, user, note)
            case "withdraw":
                briefing_services.withdraw(briefing, user, note)

    def apply_to_selected(self, request, queryset, move):
        for briefing in queryset:
            try:
                self.make_move(briefing, request.user, move, {})
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level="error")
            else:
                self.message_user(
                    request,
                    _("“%(title)s” is %(move)s.")
                    % {"title": briefing.title, "move": briefing_services.move_label(move)},
                )

    @admin.action(description=_("Submit the selected briefings to their partner"))
    def submit_selected(self, request, queryset):
        self.apply_to_selected(request, queryset, "submit")

    @admin.action(description=_("Publish the selected briefings"))
    def publish_selected(self, request, queryset):
        self.apply_to_selected(request, queryset, "publish")


def error_fields(error):
    """A ValidationError as {field or None: messages}."""
    if hasattr(error, "error_dict"):
        return dict(error.message_dict)
    return {None: error.messages}


@admin.register(InformationExchange)
class InformationExchangeAdmin(admin.ModelAdmin):
    list_display = ["title", "exchanged_on", "partner", "direction", "audience", "download"]
    list_filter = ["direction", "audience", "partner"]
    list_select_related = ["partner"]
    search_fields = ["title", "description", "partner__name"]
    date_hierarchy = "exchanged_on"
    autocomplete_fields = ["agreement"]
    # As for agreement documents: private storage has no URL, the download view checks access.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput(attrs={"accept": ".pdf"})}}
    readonly_fields = ["download"]

    @admin.display(description=_("download"))
    def download(self, exchange):
        if not exchange.pk or not exchange.attachment:
            return "—"
        url = reverse("agreements:exchange_attachment", args=[exchange.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))
