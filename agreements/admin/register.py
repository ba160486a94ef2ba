"""The back office of the agreement register: partners, agreements, commitments, reviews."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import (
    Activity,
    Agreement,
    AgreementDocument,
    Commitment,
    Partner,
    Review,
    Signatory,
)
from agreements.resources import (
    AgreementResource,
    CommitmentResource,
    PartnerResource,
)
from canto_portal.admin_inlines import LabelledTabularInline
from canto_portal.people import person_name
from canto_portal.spreadsheets.admin import SpreadsheetImportExportMixin


@admin.register(Partner)
class PartnerAdmin(SpreadsheetImportExportMixin, admin.ModelAdmin):
    resource_classes = [PartnerResource]
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name"]


class SignatoryInline(LabelledTabularInline):
    model = Signatory
    extra = 0


class CommitmentInline(LabelledTabularInline):
    model = Commitment
    extra = 0
    fields = ["number", "text", "owed_by", "status", "due_on", "evidence"]


class AgreementDocumentInline(LabelledTabularInline):
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
class AgreementAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
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
        "responsible_person",
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

    @admin.display(description=_("responsible staff member"), ordering="responsible")
    def responsible_person(self, agreement):
        return person_name(agreement.responsible) if agreement.responsible else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible":
            # The responsible staff member comes from the Secretariat.
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = person_name
            return field
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
class CommitmentAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
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
