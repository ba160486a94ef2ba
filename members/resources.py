"""Spreadsheet import and export of the member register: members, contacts, dues and board
terms, on canto_portal.spreadsheets. Members are keyed by slug, contacts by email, dues by
member and year, board terms by contact and start date."""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from canto_portal.spreadsheets.cells import (
    CountryWidget,
    DecimalWidget,
    IntegerWidget,
    NaturalKeyWidget,
    SafeTextWidget,
    plain_text,
)
from canto_portal.spreadsheets.resources import (
    SpreadsheetResource,
    choice_field,
    date_field,
    normalise_header,
    text_field,
    yes_no_field,
)
from members.models import BoardTerm, Contact, Dues, Member, MembershipCategory


class CategoryWidget(NaturalKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(MembershipCategory, "name", **kwargs)

    @property
    def hint(self):
        names = ", ".join(MembershipCategory.objects.values_list("name", flat=True))
        return _("Use one of the membership categories: %(names)s.") % {"names": names}


class MemberWidget(NaturalKeyWidget):
    """A member by its slug, or by its name when only one member has that name."""

    hint = gettext_lazy(
        "Use the member's slug (the “slug” column of the members export) or its exact name, "
        "and import the member first if it is new."
    )

    def __init__(self, **kwargs):
        super().__init__(Member, "slug", **kwargs)

    def lookup(self, text, row):
        return self.find("slug", text)[:1] or self.find("name", text)

    def not_found_message(self, text, found):
        if len(found) > 1:
            slugs = Member.objects.filter(name__iexact=text).values_list("slug", flat=True)
            return _(
                "Several members have this name, in different countries. Use the slug of the "
                "one you mean: %(slugs)s."
            ) % {"slugs": ", ".join(slugs)}
        return super().not_found_message(text, found)


class ContactWidget(NaturalKeyWidget):
    hint = gettext_lazy(
        "Use the email address of an existing contact, and import the contact first if it is new."
    )

    def __init__(self, **kwargs):
        super().__init__(Contact, "email", **kwargs)


class MemberResource(SpreadsheetResource):
    """Member organisations, keyed by slug. A file without slugs identifies members by name
    and country: an existing member keeps its slug, a new one gets one made from its name."""

    required_columns = ("slug",)

    slug = fields.Field(attribute="slug", column_name="slug", widget=SafeTextWidget())
    name = text_field("name")
    category = fields.Field(attribute="category", column_name="category", widget=CategoryWidget())
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    city = text_field("city")
    website = text_field("website")
    joined_on = date_field("joined_on")
    founding_member = yes_no_field("founding_member")
    status = choice_field(Member, "status")
    description = text_field("description")
    public_email = text_field("public_email")
    public_phone = text_field("public_phone", phone=True)
    staff_notes = text_field("staff_notes")

    class Meta(SpreadsheetResource.Meta):
        model = Member
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "category",
            "country",
            "city",
            "website",
            "joined_on",
            "founding_member",
            "status",
            "description",
            "public_email",
            "public_phone",
            "staff_notes",
        ]

    def get_queryset(self):
        return Member.objects.select_related("category")

    def check_headers(self, dataset):
        headers = [normalise_header(h) for h in dataset.headers or []]
        if "slug" not in headers and {"name", "country"} <= set(headers):
            dataset.append_col([""] * dataset.height, header="slug")
        super().check_headers(dataset)

    # Checked against the names read once per file (slugs_by_name), not by a query a row.
    constraints_checked_here = ("member_unique_name_per_country",)
    # Keys and names are checked in memory.
    write_rows_together = True

    def writes_together(self, instance):
        # Member.save() dates a status move, and a name is unique in its country.
        key = name_key(instance.name, instance.country.code)
        renamed = self._names_by_slug.get(instance.slug, key) != key
        return not (renamed or instance.status_is_moving)

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        members = self.instances_by_key().values()
        self._slugs_by_name = {name_key(m.name, m.country.code): m.slug for m in members}
        self._names_by_slug = {slug: key for key, slug in self._slugs_by_name.items()}

    def before_import_row(self, row, **kwargs):
        if not plain_text(row.get("slug")) and plain_text(row.get("name")):
            row["slug"] = self.slug_for(row)
        super().before_import_row(row, **kwargs)

    def slug_for(self, row):
        name = plain_text(row.get("name"))
        try:
            country = CountryWidget().clean(row.get("country"))
        except ValueError:
            country = ""
        existing = self._slugs_by_name.get(name_key(name, country))
        return existing or slugify(f"{name}-{country}")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        key = name_key(instance.name, instance.country.code)
        taken_by = self._slugs_by_name.get(key, instance.slug)
        if not {"name", "country"} & set(errors) and taken_by != instance.slug:
            errors[NON_FIELD_ERRORS] = [self.constraint_message("member_unique_name_per_country")]
        super().validate_instance(instance, errors, validate_unique)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self._slugs_by_name.pop(self._names_by_slug.get(instance.slug), None)
        key = name_key(instance.name, instance.country.code)
        self._slugs_by_name[key] = instance.slug
        self._names_by_slug[instance.slug] = key


def name_key(name: str, country: str) -> tuple[str, str]:
    return (name.lower(), country or "")


class ContactResource(SpreadsheetResource):
    """People at member organisations, keyed by email address (case does not matter)."""

    required_columns = ("email",)

    email = fields.Field(attribute="email", column_name="email", widget=SafeTextWidget())
    member = fields.Field(attribute="member", column_name="member", widget=MemberWidget())
    name = text_field("name")
    phone = text_field("phone", phone=True)
    job_title = text_field("job_title")
    role = choice_field(Contact, "role")
    is_member_admin = yes_no_field("is_member_admin")
    receives_briefings = yes_no_field("receives_briefings")

    class Meta(SpreadsheetResource.Meta):
        model = Contact
        import_id_fields = ["email"]
        fields = [
            "email",
            "member",
            "name",
            "phone",
            "job_title",
            "role",
            "is_member_admin",
            "receives_briefings",
        ]

    # The email is the key: matched whatever its case and never repeated in a file. The
    # primary contacts are read once per file and followed in memory (primaries).
    constraints_checked_here = ("contact_unique_email", "contact_one_primary_per_member")
    write_rows_together = True

    def get_queryset(self):
        return Contact.objects.select_related("member")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._primaries = {
            contact.member_id: contact.email.lower()
            for contact in self.instances_by_key().values()
            if contact.role == Contact.Role.PRIMARY
        }

    def writes_together(self, instance):
        # One contact per member may be primary: who is changes in the order of the file.
        holds = self._primaries.get(instance.member_id) == instance.email.lower()
        return holds == (instance.role == Contact.Role.PRIMARY)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        holder = self._primaries.get(instance.member_id, instance.email.lower())
        if instance.role == Contact.Role.PRIMARY and holder != instance.email.lower():
            errors[NON_FIELD_ERRORS] = [self.constraint_message("contact_one_primary_per_member")]
        super().validate_instance(instance, errors, validate_unique)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        email = instance.email.lower()
        if instance.role == Contact.Role.PRIMARY:
            self._primaries[instance.member_id] = email
        elif self._primaries.get(instance.member_id) == email:
            del self._primaries[instance.member_id]

    def after_init_instance(self, instance, new, row, **kwargs):
        """An email already in the register belongs to that person at that member; a file
        that gives it to another member is a mistake, not a move."""
        if new or "member" not in row:
            return
        try:
            member = self.fields["member"].clean(row)
        except ValueError:
            return  # reported against the member column when the row is imported
        if member is not None and member.pk != instance.member_id:
            raise ValidationError(
                {
                    "email": self.explain(
                        "email",
                        _(
                            "This email address belongs to %(name)s at %(member)s (%(slug)s). "
                            "Each email address belongs to one contact: correct the address, or "
                            "move the contact to the other member in the admin first."
                        )
                        % {
                            "name": instance.name,
                            "member": instance.member.name,
                            "slug": instance.member.slug,
                        },
                    )
                }
            )


class DuesResource(SpreadsheetResource):
    """Annual dues, keyed by member and year."""

    required_columns = ("member", "year")

    member = fields.Field(attribute="member", column_name="member", widget=MemberWidget())
    year = fields.Field(attribute="year", column_name="year", widget=IntegerWidget())
    amount = fields.Field(attribute="amount", column_name="amount", widget=DecimalWidget())
    currency = text_field("currency")
    status = choice_field(Dues, "status")
    paid_on = date_field("paid_on")

    class Meta(SpreadsheetResource.Meta):
        model = Dues
        import_id_fields = ["member", "year"]
        fields = ["member", "year", "amount", "currency", "status", "paid_on"]

    def get_queryset(self):
        return Dues.objects.select_related("member")

    def before_import_row(self, row, **kwargs):
        if "currency" in row:
            row["currency"] = plain_text(row["currency"]).upper()
        super().before_import_row(row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.currency and not re.fullmatch(r"[A-Z]{3}", instance.currency):
            errors.setdefault(
                "currency", _("Use a three-letter ISO currency code, for example USD.")
            )
        super().validate_instance(instance, errors, validate_unique)


class BoardTermResource(SpreadsheetResource):
    """Board terms, keyed by the director's contact email and the start of the term."""

    required_columns = ("contact", "starts_on")

    contact = fields.Field(attribute="contact", column_name="contact", widget=ContactWidget())
    member = fields.Field(column_name="member", readonly=True)
    role = choice_field(BoardTerm, "role")
    starts_on = date_field("starts_on")
    ends_on = date_field("ends_on")

    class Meta(SpreadsheetResource.Meta):
        model = BoardTerm
        import_id_fields = ["contact", "starts_on"]
        fields = ["contact", "member", "role", "starts_on", "ends_on"]

    def get_queryset(self):
        return BoardTerm.objects.select_related("contact", "contact__member")

    def dehydrate_member(self, term):
        # Read-only, so that a reader of the export sees whose director this is.
        return term.contact.member.slug
