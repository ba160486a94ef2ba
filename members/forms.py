from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from canto_portal.widgets import ListSelect
from members.models import Contact, Member, MembershipCategory


class AcceptInvitationForm(forms.Form):
    """The new login's password, checked by the project's password validators."""

    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        # An unsaved user, so that the validators can compare the password with the name
        # and address the login will have.
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country or territory"), required=False, widget=ListSelect)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=MembershipCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
        widget=ListSelect,
    )

    def __init__(self, *args, country_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only countries that have active members: a choice that finds nothing is noise.
        names = sorted((countries.name(code), code) for code in country_codes)
        self.fields["country"].choices = [("", _("All countries"))] + [
            (code, name) for name, code in names
        ]

    def filter(self, members):
        if not self.is_valid():
            return members
        data = self.cleaned_data
        if data["q"]:
            members = members.filter(name__icontains=data["q"])
        if data["country"]:
            members = members.filter(country=data["country"])
        if data["category"]:
            members = members.filter(category=data["category"])
        return members


class MemberProfileForm(forms.ModelForm):
    """The public profile a member admin may edit: never category, status, dues or notes."""

    class Meta:
        model = Member
        fields = ["city", "website", "description", "public_email", "public_phone"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "name",
            "email",
            "phone",
            "job_title",
            "role",
            "is_member_admin",
            "receives_briefings",
            "language",
        ]

    def __init__(self, *args, member, email_locked_because=None, **kwargs):
        """`email_locked_because` is why the editor may not change the address
        (members.services.email_change_refusal); the field then shows it instead."""
        super().__init__(*args, **kwargs)
        self.instance.member = member
        if email_locked_because:
            self.fields["email"].disabled = True
            self.fields["email"].help_text = email_locked_because

    def clean_role(self):
        # The database holds one primary contact per member, but the form has no member
        # field, so the model's own check skips it; say it here instead of failing on save.
        role = self.cleaned_data["role"]
        if role == Contact.Role.PRIMARY:
            others = self.instance.member.contacts.filter(role=Contact.Role.PRIMARY)
            if others.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("This member already has a primary contact."))
        return role
