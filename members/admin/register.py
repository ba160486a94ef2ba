import datetime

from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from canto_portal import choices
from canto_portal.admin_inlines import LabelledTabularInline
from canto_portal.admin_lists import QuickRowsMixin, boolean_icon
from canto_portal.admin_pages import kept_admin_page
from canto_portal.fragments import cached
from canto_portal.spreadsheets.admin import SpreadsheetImportExportMixin
from members import services
from members.admin.privacy import anonymise_contact_action, export_personal_data_action
from members.apps import LOGINS, MEMBERS
from members.attention import ENDING_WITHIN_DAYS
from members.models import (
    Benefit,
    BoardTerm,
    Contact,
    Dues,
    Invitation,
    Invoice,
    Member,
    MembershipCategory,
)
from members.resources import (
    BoardTermResource,
    ContactResource,
    DuesResource,
    MemberResource,
)
from members.services import billing


@admin.register(MembershipCategory)
class MembershipCategoryAdmin(TranslationAdmin):
    list_display = ["name", "annual_dues", "voting_rights", "ordering"]
    list_editable = ["ordering"]
    search_fields = ["name"]


@admin.register(Benefit)
class BenefitAdmin(TranslationAdmin):
    list_display = ["name", "ordering"]
    list_filter = ["categories"]
    search_fields = ["name", "description"]
    filter_horizontal = ["categories"]


class GoodStandingFilter(admin.SimpleListFilter):
    title = _("good standing")
    parameter_name = "standing"

    def lookups(self, request, model_admin):
        return [("good", _("In good standing")), ("not", _("Not in good standing"))]

    def queryset(self, request, queryset):
        if self.value() == "good":
            return queryset.in_good_standing()
        if self.value() == "not":
            return queryset.not_in_good_standing()
        return queryset


def countries_present():
    codes = Member.objects.order_by().values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


class CountryListFilter(admin.SimpleListFilter):
    """The countries members are in, rather than all 250 a country field may hold: a shorter
    list to pick from, and 13 KB less on every page of the list."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return cached("admin-member-countries", countries_present, shows=[MEMBERS])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
        return queryset


class MemberCountryListFilter(CountryListFilter):
    """The same short list of countries, for rows that belong to a member (dues, contacts)."""

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(member__country=self.value())
        return queryset


class BoardTermEndingFilter(admin.SimpleListFilter):
    title = _("term")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Current")),
            ("ending", _("Ending within 90 days")),
            ("past", _("Ended")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current(today)
        if self.value() == "ending":
            return queryset.current(today).filter(
                ends_on__lte=today + datetime.timedelta(days=ENDING_WITHIN_DAYS)
            )
        if self.value() == "past":
            return queryset.filter(ends_on__lt=today)
        return queryset


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", _("Pending")), ("expired", _("Expired, never accepted"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.pending()
        if self.value() == "expired":
            return queryset.expired()
        return queryset


class ContactInlineFormSet(BaseInlineFormSet):
    """The database refuses a second primary contact or a repeated email; a formset that adds
    two at once would only meet that as an error page, so it is checked across rows here."""

    def clean(self):
        super().clean()
        forms = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self._should_delete_form(form) and form.cleaned_data
        ]
        primaries = [f for f in forms if f.cleaned_data.get("role") == Contact.Role.PRIMARY]
        if len(primaries) > 1:
            raise ValidationError(_("A member can have only one primary contact."))
        seen = set()
        for form in forms:
            email = (form.cleaned_data.get("email") or "").lower()
            if email in seen:
                form.add_error("email", _("This email address is given to two contacts."))
            seen.add(email)


class ContactInline(LabelledTabularInline):
    model = Contact
    formset = ContactInlineFormSet
    extra = 0
    fields = ["name", "email", "phone", "job_title", "role", "is_member_admin", "user"]
    raw_id_fields = ["user"]
    show_change_link = True


class DuesInline(LabelledTabularInline):
    model = Dues
    extra = 0
    fields = ["year", "amount", "currency", "status", "paid_on"]
    ordering = ["-year"]


def send_invitations(modeladmin, request, contacts):
    """Invites each contact, one transaction each, and reports what happened in messages."""
    sent = 0
    for contact in contacts:
        try:
            services.invite(contact, invited_by=request.user)
        except services.InvitationError as error:
            modeladmin.message_user(request, str(error), messages.WARNING)
        else:
            sent += 1
    if sent:
        modeladmin.message_user(
            request,
            ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", sent)
            % {"count": sent},
            messages.SUCCESS,
        )


@admin.action(description=_("Invite the selected contacts to the portal"), permissions=["change"])
def invite_contacts(modeladmin, request, queryset):
    send_invitations(modeladmin, request, queryset.select_related("member"))


@admin.action(
    description=_("Invite the selected members' contacts that have no login"),
    permissions=["change"],
)
def invite_member_contacts(modeladmin, request, queryset):
    contacts = Contact.objects.filter(member__in=queryset, user__isnull=True)
    send_invitations(modeladmin, request, contacts.select_related("member"))


@admin.register(Member)
class MemberAdmin(QuickRowsMixin, SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [MemberResource]
    list_display = [
        "name",
        "country_name",
        "city",
        "category",
        "status",
        "good_standing",
        "joined_on",
        "founding",
    ]
    list_filter = [
        "status",
        "category",
        GoodStandingFilter,
        "founding_member",
        CountryListFilter,
    ]
    list_select_related = ["category"]
    search_fields = ["name", "city", "contacts__name", "contacts__email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["category"]
    date_hierarchy = "joined_on"
    readonly_fields = ["status_changed_on", "created_at", "updated_at"]
    inlines = [ContactInline, DuesInline]
    actions = [invite_member_contacts]
    list_per_page = 50
    # The count of all members next to the filtered one would be a second COUNT each time the
    # list is rendered afresh.
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "slug", "category", "country", "city", "website"]}),
        (_("Public profile"), {"fields": ["description", "public_email", "public_phone"]}),
        (
            _("Membership"),
            {"fields": ["joined_on", "founding_member", "status", "status_changed_on"]},
        ),
        (_("Secretariat only"), {"fields": ["staff_notes", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_standing()

    def changelist_view(self, request, extra_context=None):
        """Each login's pages of the list come from the cache (canto_portal/admin_pages.py),
        rendered once per version of the data: the Secretariat pages back and forth through
        filters and members. A search is rendered afresh: free text would add an entry to the
        cache for each new value."""
        if request.GET.get(SEARCH_VAR):
            return super().changelist_view(request, extra_context)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        page = kept_admin_page(
            "admin-member-list",
            request,
            lambda context: super(MemberAdmin, self).changelist_view(
                request, {**(extra_context or {}), **context}
            ),
            shows=[MEMBERS, LOGINS],
        )
        return page or super().changelist_view(request, extra_context)

    # The admin's default display of a CountryField walks all 250 country choices for every
    # row; each name is translated once per language instead.
    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        return choices.country_name(obj.country.code)

    @admin.display(description=_("good standing"), ordering="has_overdue_dues")
    def good_standing(self, obj):
        return boolean_icon(obj.in_good_standing)

    @admin.display(description=_("founding member"), ordering="founding_member")
    def founding(self, obj):
        return boolean_icon(obj.founding_member)


@admin.register(Contact)
class ContactAdmin(SpreadsheetImportExportMixin, admin.ModelAdmin):
    resource_classes = [ContactResource]
    list_display = ["name", "member", "email", "job_title", "role", "is_member_admin", "user"]
    list_filter = ["role", "is_member_admin", "member__status", MemberCountryListFilter]
    list_select_related = ["member", "user"]
    search_fields = ["name", "email", "member__name"]
    autocomplete_fields = ["member"]
    raw_id_fields = ["user"]
    actions = [invite_contacts, export_personal_data_action, anonymise_contact_action]


@admin.register(Dues)
class DuesAdmin(SpreadsheetImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [DuesResource]
    list_display = ["member", "year", "amount", "currency", "status", "paid_on"]
    list_filter = ["status", "year", MemberCountryListFilter]
    list_select_related = ["member"]
    search_fields = ["member__name"]
    autocomplete_fields = ["member"]
    date_hierarchy = "paid_on"
    actions = ["record_payment", "send_reminder"]

    # Money is recorded against invoices (members/services/billing/), and the dues status
    # follows them: these actions lead there rather than edit dues by hand.
    @admin.action(description=_("Record a payment on the dues invoice"))
    def record_payment(self, request, queryset):
        invoice = Invoice.objects.live().filter(dues__in=queryset).order_by("-issued_on").first()
        if queryset.count() != 1 or invoice is None:
            self.message_user(
                request,
                _("Select one dues record that has an invoice to record its payment."),
                messages.WARNING,
            )
            return None
        return redirect(reverse("admin:members_invoice_change", args=[invoice.pk]))

    @admin.action(description=_("Send a payment reminder"))
    def send_reminder(self, request, queryset):
        sent = 0
        for invoice in Invoice.objects.live().filter(dues__in=queryset).select_related("member"):
            try:
                billing.send_reminder_again(invoice=invoice, by=request.user)
            except billing.BillingRefused as refusal:
                self.message_user(request, str(refusal), messages.WARNING)
            else:
                sent += 1
        self.message_user(
            request,
            ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", sent)
            % {"count": sent},
        )


@admin.register(BoardTerm)
class BoardTermAdmin(SpreadsheetImportExportMixin, admin.ModelAdmin):
    resource_classes = [BoardTermResource]
    list_display = ["contact", "member", "role", "starts_on", "ends_on", "is_current"]
    list_filter = [BoardTermEndingFilter, "role"]
    list_select_related = ["contact", "contact__member"]
    search_fields = ["contact__name", "contact__member__name"]
    autocomplete_fields = ["contact"]
    date_hierarchy = "starts_on"

    @admin.display(description=_("member"), ordering="contact__member__name")
    def member(self, obj):
        return obj.contact.member

    @admin.display(description=_("current"), boolean=True)
    def is_current(self, obj):
        return obj.is_current


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are created by the invite actions, never typed in."""

    list_display = ["email", "contact", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = [InvitationStateFilter]
    list_select_related = ["contact", "contact__member", "invited_by"]
    search_fields = ["email", "contact__name", "contact__member__name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "contact",
        "email",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
