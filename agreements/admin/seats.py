"""Councils, their seats and the appointments to them."""

from collections import Counter

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from agreements.models import (
    ENDING_SOON_DAYS,
    Appointment,
    Council,
    Seat,
)
from agreements.resources import (
    AppointmentResource,
)
from canto_portal.admin_inlines import LabelledTabularInline
from canto_portal.spreadsheets.admin import SpreadsheetImportExportMixin


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


class SeatInline(LabelledTabularInline):
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
class AppointmentAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
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
