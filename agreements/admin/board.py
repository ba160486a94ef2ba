"""The Secretariat prepares the Board's meetings here: agenda, documents, resolutions, minutes
and action items. Resolutions go through agreements/services/board.py, so that opening one
recuses and notifies, and editing one voids its votes; closed ones are read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import (
    ActionItem,
    AgendaItem,
    AgreementInterest,
    BoardMeeting,
    BoardPackDownload,
    MeetingDocument,
    Minutes,
    Recusal,
    Resolution,
    Vote,
)
from agreements.services.board import (
    approval_voted_on,
    close_resolution,
    edit_resolution,
    minutes_change_refusal,
    open_resolution,
    save_minutes,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["agreement"]
    raw_id_fields = ["review"]


class MeetingDocumentInline(admin.TabularInline):
    model = MeetingDocument
    extra = 0
    exclude = ["uploaded_by"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PackDownloadInline(ReadOnlyInline):
    model = BoardPackDownload
    verbose_name_plural = _("read receipts of the board pack")


@admin.register(BoardMeeting)
class BoardMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "status", "place"]
    list_filter = ["status"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, MeetingDocumentInline, PackDownloadInline]

    def save_formset(self, request, form, formset, change):
        for document in formset.save(commit=False):
            if isinstance(document, MeetingDocument) and document.uploaded_by_id is None:
                document.uploaded_by = request.user
            document.save()
        for removed in formset.deleted_objects:
            removed.delete()
        formset.save_m2m()


class ResolutionForm(forms.ModelForm):
    class Meta:
        model = Resolution
        fields = [
            "title",
            "text",
            "method",
            "proposer",
            "meeting",
            "agenda_item",
            "agreement",
            "approves_minutes",
            "deadline",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.voting_has_ended():
            raise ValidationError(
                _("Voting on this resolution has ended; it can no longer change.")
            )
        return cleaned


class VoteInline(ReadOnlyInline):
    model = Vote
    fields = ("director", "choice", "cast_at", "voided_at")
    readonly_fields = fields


class RecusalInline(ReadOnlyInline):
    model = Recusal
    fields = ("director", "reason", "automatic", "declared_at")
    readonly_fields = fields


@admin.register(Resolution)
class ResolutionAdmin(SimpleHistoryAdmin):
    form = ResolutionForm
    list_display = ["title", "method", "meeting", "deadline", "opened_at", "closed_at"]
    list_filter = ["method", ("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "text"]
    autocomplete_fields = ["agreement", "proposer"]
    inlines = [VoteInline, RecusalInline]
    actions = ["close_voting"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # After opening only the wording and the deadline change, through edit_resolution.
        return ["method", "proposer", "meeting", "agenda_item", "agreement", "approves_minutes"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_closed)

    def has_delete_permission(self, request, obj=None):
        # A resolution is a record of the Board's decision-making: never deleted here.
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = edit_resolution(
                resolution=obj, title=data["title"], text=data["text"], deadline=data["deadline"]
            )
        else:
            saved = open_resolution(**{name: data[name] for name in ResolutionForm.Meta.fields})
        vars(obj).update(vars(saved))

    @admin.action(description=_("Close voting on the selected resolutions"))
    def close_voting(self, request, queryset):
        closed = 0
        for resolution in queryset.filter(closed_at__isnull=True):
            close_resolution(resolution=resolution)
            closed += 1
        self.message_user(
            request,
            ngettext("%(count)d resolution closed.", "%(count)d resolutions closed.", closed)
            % {"count": closed},
            messages.SUCCESS,
        )


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["meeting", "text"]

    def clean(self):
        cleaned = super().clean()
        changed = Minutes(pk=self.instance.pk, text=cleaned.get("text", ""))
        approving = approval_voted_on(changed)
        if approving is not None and (refusal := minutes_change_refusal(approving)):
            raise ValidationError(refusal)
        return cleaned


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    form = MinutesForm
    list_display = ["meeting", "drafted_by", "updated_at"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (
            obj and obj.stored_row_is_frozen()
        )

    def save_model(self, request, obj, form, change):
        save_minutes(minutes=obj, by=request.user)


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "due_on", "status", "owner_contact", "owner_staff", "meeting"]
    list_filter = ["status"]
    search_fields = ["title"]
    autocomplete_fields = ["owner_contact"]
    raw_id_fields = ["owner_staff", "resolution"]


@admin.register(AgreementInterest)
class AgreementInterestAdmin(admin.ModelAdmin):
    list_display = ["agreement", "member", "kind"]
    autocomplete_fields = ["agreement", "member"]
