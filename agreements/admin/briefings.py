"""Briefings and their workflow, moved by buttons that the workflow table names."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from agreements.forms import BriefingAdminForm, MoveNoteForm, PartnerApprovalForm
from agreements.models import (
    Briefing,
    BriefingDelivery,
    BriefingMove,
    Topic,
)
from agreements.services.briefings import (
    WORKFLOW,
    available_moves,
    briefing_recipients,
    make_move,
)
from canto_portal.admin_inlines import LabelledTabularInline


@admin.register(Topic)
class TopicAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class BriefingMoveInline(LabelledTabularInline):
    """The workflow's history: written only by the moves, never edited."""

    model = BriefingMove
    extra = 0
    can_delete = False
    fields = ("moved_at", "from_status", "to_status", "moved_by", "note")
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

# Set only by the workflow's moves, never typed in the form.
WORKFLOW_FIELDS = (
    "status",
    "partner_approved_by",
    "partner_approved_on",
    "partner_approval_reference",
    "published_at",
    "deliveries",
    "created_by",
)


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
                (name, WORKFLOW[name].button) for name in available_moves(briefing)
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
        if briefing is None or move not in WORKFLOW:
            raise Http404(_("No such briefing or move."))
        workflow_move = WORKFLOW[move]
        if not request.user.has_perm(workflow_move.permission):
            raise PermissionDenied
        # A move's form may be posted empty (a publish without a note), and is still bound.
        data = request.POST if request.method == "POST" else None
        if workflow_move.records_partner_approval:
            form = PartnerApprovalForm(data)
        else:
            form = MoveNoteForm(
                data,
                note_required=workflow_move.note_required(),
                note_help=workflow_move.required_note,
            )
        change_url = reverse("admin:agreements_briefing_change", args=[briefing.pk])
        if request.method == "POST" and form.is_valid():
            try:
                make_move(briefing=briefing, by=request.user, name=move, data=form.cleaned_data)
            except ValidationError as error:
                for field, messages_ in error_fields(error).items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                self.message_user(
                    request,
                    _("“%(title)s” is %(move)s.")
                    % {"title": briefing.title, "move": workflow_move.label},
                )
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(title)s: %(move)s")
            % {"title": briefing.title, "move": workflow_move.label},
            "opts": self.opts,
            "original": briefing,
            "form": form,
            "move": move,
            "button": workflow_move.button,
            "change_url": change_url,
            "recipient_count": (
                briefing_recipients().count()
                if move == "publish" and briefing.audience == "members"
                else None
            ),
        }
        return TemplateResponse(request, "admin/agreements/briefing/move.html", context)

    def apply_to_selected(self, request, queryset, move):
        for briefing in queryset:
            try:
                make_move(briefing=briefing, by=request.user, name=move, data={})
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level="error")
            else:
                self.message_user(
                    request,
                    _("“%(title)s” is %(move)s.")
                    % {"title": briefing.title, "move": WORKFLOW[move].label},
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
