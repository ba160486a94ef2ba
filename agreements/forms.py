"""Forms of the agreements app. Sections, in order: agreement register, council
seats, briefings."""

from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Briefing, Partner, Review, Topic
from agreements.services import briefing_content_errors
from canto_portal.widgets import ListSelect

# Agreement register

EXPIRING_WITHIN_DAYS = 90

# Sort keys a visitor may ask for, and the fields they order by. Anything else is ignored,
# so a query string can never order by an arbitrary (or confidential) column.
REGISTER_SORTS = {
    "reference": ("reference", _("Reference")),
    "title": ("title", _("Title")),
    "status": ("status", _("Status")),
    "kind": ("kind", _("Kind")),
    "signed_on": ("signed_on", _("Signed on")),
    "expires_on": ("expires_on", _("Expires on")),
    "next_review_on": ("next_review_on", _("Next review")),
}
# Only the Board and the Secretariat see review dates, so only they may sort by them.
BOARD_ONLY_SORTS = {"next_review_on"}


def as_of_field() -> forms.DateField:
    return forms.DateField(
        label=_("As it was on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the day as YYYY-MM-DD, for example 2015-02-11.")},
    )


class AsOfForm(forms.Form):
    """The day a page shows things as they were on (`?on=YYYY-MM-DD`)."""

    on = as_of_field()


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search reference or title"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Agreement.Status.choices],
        widget=ListSelect,
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        required=False,
        queryset=Partner.objects.none(),
        empty_label=_("Any"),
        widget=ListSelect,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *Agreement.Kind.choices],
        widget=ListSelect,
    )
    expiring = forms.BooleanField(label=_("Expiring within 90 days"), required=False)
    review_overdue = forms.BooleanField(label=_("Review overdue"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, widget=ListSelect)
    on = as_of_field()

    def __init__(self, *args, clearance, agreements, **kwargs):
        """`agreements` is what the viewer may see; partners are offered from it only, so the
        list does not reveal a partner of an agreement hidden from the viewer."""
        super().__init__(*args, **kwargs)
        self.clearance = clearance
        self.fields["partner"].queryset = Partner.objects.filter(
            agreements__in=agreements
        ).distinct()
        sorts = {
            key: label
            for key, (_field, label) in REGISTER_SORTS.items()
            if clearance.may_see_register or key not in BOARD_ONLY_SORTS
        }
        self.fields["sort"].choices = [
            choice
            for key, label in sorts.items()
            for choice in (
                (key, _("%(field)s, ascending") % {"field": label}),
                (f"-{key}", _("%(field)s, descending") % {"field": label}),
            )
        ]
        if not clearance.may_see_register:
            del self.fields["review_overdue"]

    def filter(self, agreements, today=None):
        """The agreements matching the valid filters, sorted; invalid values are ignored."""
        today = today or timezone.localdate()
        # An invalid field is dropped from cleaned_data, so the valid ones still apply.
        self.is_valid()
        data = self.cleaned_data
        if query := data.get("q"):
            agreements = agreements.filter(
                Q(title__icontains=query) | Q(reference__icontains=query)
            )
        if status := data.get("status"):
            agreements = agreements.filter(status=status)
        if partner := data.get("partner"):
            agreements = agreements.filter(partners=partner)
        if kind := data.get("kind"):
            agreements = agreements.filter(kind=kind)
        if data.get("expiring"):
            agreements = agreements.expiring_within(EXPIRING_WITHIN_DAYS, today)
        if data.get("review_overdue"):
            agreements = agreements.review_overdue(today)
        if on := data.get("on"):
            agreements = agreements.in_force_on(on)
        return agreements.order_by(*self.ordering())

    def applied(self):
        """The filters in use as (label, value) pairs, to say on paper what a list shows."""
        self.is_valid()
        applied = []
        for name, value in self.cleaned_data.items():
            if name == "sort" or value in (None, "", False):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(field.choices).get(value, value)
            elif value is True:
                value = _("yes")
            applied.append((field.label, value))
        return applied

    def ordering(self):
        self.is_valid()
        sort = self.cleaned_data.get("sort") or "reference"
        field = REGISTER_SORTS[sort.lstrip("-")][0]
        expression = (
            F(field).desc(nulls_last=True)
            if sort.startswith("-")
            else F(field).asc(nulls_last=True)
        )
        # The reference breaks ties, so pages never share or skip a row.
        return [expression, "reference"]


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["outcome", "comments", "next_review_on"]
        widgets = {"next_review_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"next_review_on": _("When the Board should look at this agreement again.")}

    def clean_next_review_on(self):
        next_review_on = self.cleaned_data.get("next_review_on")
        if next_review_on and next_review_on <= timezone.localdate():
            raise forms.ValidationError(_("The next review must be after today."))
        return next_review_on


# Briefings

# /briefings/feed/ is the feed, so no briefing may take "feed" as its slug.
RESERVED_BRIEFING_SLUGS = {"feed"}


class BriefingFilterForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("All topics"),
        widget=ListSelect,
    )

    def filter(self, briefings):
        """The briefings on the chosen topic; an unknown topic is ignored."""
        self.is_valid()
        if topic := self.cleaned_data.get("topic"):
            briefings = briefings.filter(topics=topic)
        return briefings


class BriefingAdminForm(forms.ModelForm):
    """The Secretariat's form. The status never changes here: the workflow moves do that."""

    class Meta:
        model = Briefing
        fields = ["title", "slug", "summary", "body", "topics", "agreement", "channel", "audience"]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug in RESERVED_BRIEFING_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is reserved; choose another slug.") % {"slug": slug}
            )
        return slug

    def clean(self):
        cleaned_data = super().clean()
        for field, message in briefing_content_errors(
            cleaned_data.get("title", self.data.get("title")),
            cleaned_data.get("body", self.data.get("body")),
        ).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        agreement, channel = cleaned_data.get("agreement"), cleaned_data.get("channel")
        if agreement and channel and not agreement.partners.filter(pk=channel.pk).exists():
            self.add_error(
                "channel",
                _("%(partner)s is not a partner of %(agreement)s.")
                % {"partner": channel, "agreement": agreement.reference},
            )
        return cleaned_data


class PartnerApprovalForm(forms.Form):
    approved_by = forms.CharField(
        label=_("Approved by (partner)"),
        max_length=200,
        help_text=_("The person or office at the partner who approved the briefing."),
    )
    approved_on = forms.DateField(
        label=_("Approval date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(
        label=_("Partner's reference"),
        max_length=120,
        required=False,
        help_text=_("Their letter, ticket or email reference, if any."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MoveNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, note_required=False, note_help="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        self.fields["note"].help_text = note_help
