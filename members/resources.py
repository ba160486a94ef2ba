"""Spreadsheet import and export of the member register, through django-import-export.

The Secretariat moves its records in and out as CSV or XLSX files. Three rules hold for every
resource here and in agreements/resources.py:

* Rows are matched by keys a person can type (member slug, contact email, country code or name,
  category name), never by database ids.
* An import is all or nothing: one bad row and nothing is written, and every error names the row,
  the column, the value and what to do about it.
* Cells are safe in a spreadsheet: exported text that a spreadsheet would run as a formula is
  quoted, and imported text that looks like a formula is refused.
"""

import codecs
import datetime
import difflib
import re
from decimal import Decimal, InvalidOperation

import tablib
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from members.models import BoardTerm, Contact, Dues, Member, MembershipCategory

# A spreadsheet runs a cell as a formula when it starts with one of these; tab and carriage
# return are on the list because some spreadsheets skip them before looking (OWASP "CSV
# injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Export marks such text with a leading apostrophe, the spreadsheet convention for "this is text".
EXPORT_QUOTE = "'"
# A telephone number in international form, "+1 868 555 1234" or "+1 (868) 555-1234 ext. 12":
# the one kind of text that may legitimately start with "+".
PHONE_NUMBER = re.compile(
    r"^\+?[0-9][0-9 ().\-/]*[0-9)](\s*(?:x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE
)
EMPTY = ("", None)


def escape_formula(value):
    """Quote text that a spreadsheet would otherwise run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return EXPORT_QUOTE + value
    return value


def unescape_formula(value):
    """Undo escape_formula, so that an exported file imports unchanged."""
    if value.startswith(EXPORT_QUOTE) and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def shown(value):
    """A cell value as a person would see it in an error message."""
    if value in EMPTY or (isinstance(value, str) and not value.strip()):
        return _("(empty)")
    return str(value)


def row_message(number, column, value, message):
    return _(
        "Row %(row)s (line %(line)s of the file), column “%(column)s”, value “%(value)s”: "
        "%(message)s"
    ) % {
        "row": number,
        "line": number + 1,
        "column": column,
        "value": shown(value),
        "message": message,
    }


def plain_text(value):
    """Spreadsheets hand over numbers and dates where a person typed text: 1868 not "1868"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Widgets: each turns a cell into a value, or raises ValueError with advice a person can follow.
# The resource adds the row, column and value to the message.


class SafeTextWidget(widgets.CharWidget):
    """Text that cannot carry a formula into the database and out again into a spreadsheet."""

    def __init__(self, phone=False, **kwargs):
        self.phone = phone
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = unescape_formula(plain_text(value))
        if text.startswith(FORMULA_PREFIXES):
            if self.phone and PHONE_NUMBER.match(text):
                return text
            if self.phone:
                raise ValueError(
                    _(
                        "A phone number may start with “+” followed by digits, spaces, "
                        "brackets and dashes only, for example +1 868 555 1234."
                    )
                )
            raise ValueError(
                _(
                    "Text may not start with =, +, - or @, because spreadsheets run such "
                    "cells as formulas. Remove the leading character."
                )
            )
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice typed as its stored value ("active") or its label ("Active"), in any case."""

    def __init__(self, choices, **kwargs):
        self.choices = list(choices)
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = plain_text(value).lower()
        if not text:
            return ""
        for stored, label in self.choices:
            if text in (str(stored).lower(), str(label).lower()):
                return stored
        raise ValueError(
            _("Use one of: %(choices)s.") % {"choices": ", ".join(str(c) for c, _l in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNoWidget(widgets.Widget):
    TRUE = {"yes", "y", "true", "1", "x"}
    FALSE = {"no", "n", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = plain_text(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Use yes or no."))

    def render(self, value, obj=None, **kwargs):
        # A data value like the choice codes, not a label: the same file must import back
        # whatever the language of whoever exported it.
        return "yes" if value else "no"


class DateWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        # XLSX cells arrive as datetimes; the model holds dates, and comparing a datetime
        # with a date would report every unchanged row as changed.
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, TypeError):
            raise ValueError(_("Enter the date as YYYY-MM-DD, for example 2015-02-11.")) from None


class DecimalWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            # 5000.1 from a spreadsheet, not 5000.100000000000363797880709171295166015625.
            value = str(value)
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, TypeError, InvalidOperation):
            raise ValueError(
                _("Enter a number such as 5000.00, without currency signs or thousands separators.")
            ) from None


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            number = super().clean(value, row, **kwargs)
        except (ValueError, TypeError, InvalidOperation):
            number = None
            failed = True
        else:
            failed = False
        if failed or (number is not None and Decimal(str(plain_text(value))) != number):
            raise ValueError(_("Enter a whole number, for example 2026."))
        return number


class CountryWidget(widgets.Widget):
    """A country as its ISO code (TT or TTO) or its English name ("Trinidad and Tobago")."""

    def clean(self, value, row=None, **kwargs):
        text = plain_text(value)
        if not text:
            return ""
        code = countries.alpha2(text) if len(text) in (2, 3) else ""
        if not code:
            code = countries.by_name(text) or countries.by_name(re.sub(r"(?i)^the\s+", "", text))
        if not code:
            raise ValueError(
                _(
                    "This is not a country we know. Use the two-letter ISO code (for example "
                    "TT) or the English name (for example Trinidad and Tobago)."
                )
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return getattr(value, "code", value) or ""


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A related row found by a key a person types, in any case; remembered for the import,
    because a file of 6,000 contacts names the same hundred members over and over."""

    hint = ""

    def __init__(self, model, field, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self._cache = {}

    def reset(self):
        self._cache = {}

    def lookup(self, text, row):
        return list(self.model.objects.filter(**{f"{self.field}__iexact": text})[:2])

    def clean(self, value, row=None, **kwargs):
        text = plain_text(value)
        if not text:
            return None
        key = (text.lower(), self.context_key(row))
        if key not in self._cache:
            found = self.lookup(text, row)
            if len(found) != 1:
                raise ValueError(self.not_found_message(text, found))
            self._cache[key] = found[0]
        return self._cache[key]

    def context_key(self, row):
        return None

    def not_found_message(self, text, found):
        if found:
            return _("More than one %(model)s matches. %(hint)s") % {
                "model": self.model._meta.verbose_name,
                "hint": self.hint,
            }
        return _("No %(model)s has this %(field)s. %(hint)s") % {
            "model": self.model._meta.verbose_name,
            "field": self.model._meta.get_field(self.field).verbose_name,
            "hint": self.hint,
        }


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
        found = list(Member.objects.filter(slug__iexact=text)[:1])
        return found or list(Member.objects.filter(name__iexact=text)[:2])

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


# CSV as people actually save it.


def decode_text(data):
    """Excel saves "CSV UTF-8" with a byte-order mark, plain "CSV" in the Windows code page
    (Latin-1 plus a few signs) and "Unicode text" as UTF-16; all three are accepted."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Latin-1 decodes any byte; cp1252 leaves five bytes undefined.
    return data.decode("latin-1")


class CSV(base_formats.CSV):
    """CSV in any of the encodings above, separated by commas, or by semicolons as Excel does
    in the French, Dutch and Spanish locales of the region."""

    # Read as bytes so that decode_text, not the storage's fixed encoding, chooses the encoding.
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode_text(in_stream) if isinstance(in_stream, bytes) else in_stream
        text = text.lstrip("\ufeff")
        if not text.strip():
            return tablib.Dataset()
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        return tablib.import_set(text, format="csv", delimiter=delimiter)

    def export_data(self, dataset, **kwargs):
        # Excel opens UTF-8 CSV correctly only when it carries a byte-order mark.
        return "\ufeff" + super().export_data(dataset, **kwargs)


FORMATS = [CSV, base_formats.XLSX]


def normalise_header(header):
    return re.sub(r"[\s-]+", "_", plain_text(header).lower())


class RegisterResource(resources.ModelResource):
    """What every register resource shares: natural keys, header checks, row errors that say
    where and what, all-or-nothing imports and formula-safe cells."""

    # Key columns that a file must have; other columns may be left out and keep their values.
    required_columns = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._row = {}
        self._row_number = 0
        self._seen_keys = {}
        self._instances = None

    # Export

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    # Import: the whole file

    def import_data(self, dataset, *args, rollback_on_validation_errors=True, **kwargs):
        # An invalid row must roll back the rows before it too: all or nothing, always.
        return super().import_data(dataset, *args, rollback_on_validation_errors=True, **kwargs)

    def column_names(self):
        return [field.column_name for field in self.get_export_fields()]

    def before_import(self, dataset, **kwargs):
        for field in self.fields.values():
            if isinstance(field.widget, NaturalKeyWidget):
                field.widget.reset()
        self._seen_keys = {}
        self._instances = None
        try:
            self.check_headers(dataset)
        except ValueError:
            # The rows cannot mean anything under wrong headings; one message says why.
            while dataset.height:
                dataset.rpop()
            raise

    def check_headers(self, dataset):
        name = self._meta.model._meta.verbose_name_plural
        expected = self.column_names()
        if not dataset.headers or not any(plain_text(h) for h in dataset.headers):
            raise ValueError(
                _(
                    "The file is empty or has no heading row. The first row must name the "
                    "columns for %(name)s: %(columns)s."
                )
                % {"name": name, "columns": ", ".join(expected)}
            )
        # Spreadsheets often carry empty columns to the right of the data: drop them.
        for index in reversed(range(len(dataset.headers))):
            if not plain_text(dataset.headers[index]):
                if any(plain_text(value) for value in dataset.get_col(index)):
                    raise ValueError(
                        _(
                            "Column %(number)s has values but no heading. Add one of these "
                            "headings: %(columns)s."
                        )
                        % {"number": index + 1, "columns": ", ".join(expected)}
                    )
                del dataset[dataset.headers[index]]
        headers = [normalise_header(h) for h in dataset.headers]
        problems = []
        for header in headers:
            if header not in expected:
                close = difflib.get_close_matches(header, expected, n=1)
                problems.append(
                    _("Unknown column “%(column)s”; did you mean “%(close)s”?")
                    % {"column": header, "close": close[0]}
                    if close
                    else _("Unknown column “%(column)s”.") % {"column": header}
                )
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        if repeated:
            problems.append(_("Repeated columns: %(columns)s.") % {"columns": ", ".join(repeated)})
        missing = [c for c in self.required_columns if c not in headers]
        if missing:
            problems.append(
                _("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        if problems:
            raise ValueError(
                " ".join(problems)
                + " "
                + _("The columns for %(name)s are: %(columns)s.")
                % {"name": name, "columns": ", ".join(expected)}
            )
        dataset.headers = headers
        # Spreadsheets also keep formatted but empty rows below the data. Empty rows between
        # data rows stay, and are reported, so that row numbers match the file.
        while dataset.height and not any(plain_text(value) for value in dataset[-1]):
            dataset.rpop()

    # Import: each row

    def before_import_row(self, row, **kwargs):
        self._row = row
        self._row_number = kwargs.get("row_number") or 0
        self.check_repeated_key(row)

    def row_key(self, row):
        """The row's key as typed, to find a row that repeats an earlier one."""
        return tuple(plain_text(row.get(c)).lower() for c in self.required_columns)

    def check_repeated_key(self, row):
        key = self.row_key(row)
        if not all(key):
            return
        first = self._seen_keys.setdefault(key, self._row_number)
        if first != self._row_number:
            column = self.required_columns[0]
            raise ValidationError(
                {
                    column: row_message(
                        self._row_number,
                        column,
                        row.get(column),
                        _(
                            "Row %(first)s of this file already has this %(key)s. Each may "
                            "appear only once in a file: merge the two rows."
                        )
                        % {"first": first, "key": " + ".join(self.required_columns)},
                    )
                }
            )

    def get_instance(self, instance_loader, row):
        """Rows are matched case-insensitively on their keys, and a key that cannot be read
        is reported as a row error, not a crash."""
        params, errors = {}, {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                value = field.clean(row)
            except ValueError as error:
                errors[field.attribute] = self.explain(field.attribute, str(error))
                continue
            if value in EMPTY:
                errors[field.attribute] = self.explain(
                    field.attribute, _("This column identifies the row and cannot be empty.")
                )
                continue
            lookup = f"{field.attribute}__iexact" if isinstance(value, str) else field.attribute
            params[lookup] = value
        if errors:
            raise ValidationError(errors)
        if len(params) == 1 and "__iexact" in next(iter(params)):
            return self.instances_by_key().get(next(iter(params.values())).lower())
        # Meta.ordering may join other tables; a lookup by key needs no order.
        return self.get_queryset().filter(**params).order_by().first()

    def instances_by_key(self):
        """The register's rows by their lower-cased single key, read once per import: one
        query instead of one per row. Rows of the file never refer to each other's instances,
        since a key may appear only once in a file."""
        if self._instances is None:
            (name,) = self.get_import_id_fields()
            attribute = self.fields[name].attribute
            self._instances = {
                str(getattr(instance, attribute)).lower(): instance
                for instance in self.get_queryset().order_by()
            }
        return self._instances

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        for field in self.get_import_fields():
            try:
                if not isinstance(field.widget, widgets.ManyToManyWidget):
                    self.import_field(field, instance, row, **kwargs)
                elif field.column_name in row:
                    # Saved after the instance (save_m2m), but checked now, so that an unknown
                    # name is a row error like any other rather than a failure at saving.
                    field.clean(row)
            except ValueError as error:
                errors[field.attribute] = str(error)
        if errors:
            raise ValidationError(errors)

    # Constraints this resource guarantees itself, by name (see constraint_cannot_fail).
    constraints_checked_here = ()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model.full_clean() on every row, step by step, leaving out the checks that cannot
        fail here and would each cost a query per row: on a file of thousands of rows they
        were most of the time the import took."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors)
        try:
            instance.clean_fields(exclude=exclude | self.checked_by_widgets(instance))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
        if validate_unique:
            try:
                instance.validate_unique(exclude=exclude | self.keys_checked_here())
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        errors = self.validate_constraints(instance, exclude, errors)
        if errors:
            raise ValidationError(
                {
                    key: [self.explain(key, message) for message in ValidationError(value).messages]
                    for key, value in errors.items()
                }
            )

    def checked_by_widgets(self, instance):
        """Fields whose value a widget has already checked: related rows a NaturalKeyWidget
        has just read from the database (checking again that they exist would repeat the
        query), and choices and countries taken from the field's own list (checking them
        again walks some 250 countries a row). Empty values are still checked."""
        checked = set()
        for field in self.fields.values():
            if isinstance(field.widget, NaturalKeyWidget):
                if getattr(instance, f"{field.attribute}_id", None) is not None:
                    checked.add(field.attribute)
            elif isinstance(field.widget, ChoiceWidget | CountryWidget) and (
                getattr(instance, field.attribute, None) not in EMPTY
            ):
                checked.add(field.attribute)
        return checked

    def keys_checked_here(self):
        """A single unique key is matched against the register (instances_by_key) and
        refused when repeated in the file (check_repeated_key), so it cannot clash."""
        names = self.get_import_id_fields()
        if len(names) == 1:
            return {self.fields[names[0]].attribute}
        return set()

    def constraint_cannot_fail(self, constraint, instance):
        return constraint.name in self.constraints_checked_here

    def validate_constraints(self, instance, exclude, errors):
        """Model.validate_constraints(), minus constraint_cannot_fail()."""
        using = router.db_for_write(type(instance), instance=instance)
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                if self.constraint_cannot_fail(constraint, instance):
                    continue
                try:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
                except ValidationError as error:
                    if error.code == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        return errors

    def explain(self, attribute, message):
        """The model's or widget's message, prefixed with where it happened."""
        if attribute == NON_FIELD_ERRORS:
            return _("Row %(row)s (line %(line)s of the file): %(message)s") % {
                "row": self._row_number,
                "line": self._row_number + 1,
                "message": message,
            }
        column = next(
            (f.column_name for f in self.fields.values() if f.attribute == attribute), attribute
        )
        return row_message(self._row_number, column, self._row.get(column), message)


def text_field(name, phone=False):
    return fields.Field(attribute=name, column_name=name, widget=SafeTextWidget(phone=phone))


def choice_field(model, name):
    """A choice column; left blank, it takes the model's default (a new contact's role is
    "other"), as a form would offer it."""
    model_field = model._meta.get_field(name)
    return fields.Field(
        attribute=name,
        column_name=name,
        widget=ChoiceWidget(model_field.choices),
        default=model_field.default,
    )


def date_field(name):
    return fields.Field(attribute=name, column_name=name, widget=DateWidget())


def yes_no_field(name):
    return fields.Field(attribute=name, column_name=name, widget=YesNoWidget())


class MemberResource(RegisterResource):
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

    class Meta(RegisterResource.Meta):
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
        existing = Member.objects.filter(name__iexact=name, country=country).first()
        return existing.slug if existing else slugify(f"{name}-{country}")


class ContactResource(RegisterResource):
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

    class Meta(RegisterResource.Meta):
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

    # The email is the key: matched whatever its case and never repeated in a file.
    constraints_checked_here = ("contact_unique_email",)

    def get_queryset(self):
        return Contact.objects.select_related("member")

    def constraint_cannot_fail(self, constraint, instance):
        # Only a primary contact can be a second primary contact.
        if constraint.name == "contact_one_primary_per_member":
            return instance.role != Contact.Role.PRIMARY
        return super().constraint_cannot_fail(constraint, instance)

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


class DuesResource(RegisterResource):
    """Annual dues, keyed by member and year."""

    required_columns = ("member", "year")

    member = fields.Field(attribute="member", column_name="member", widget=MemberWidget())
    year = fields.Field(attribute="year", column_name="year", widget=IntegerWidget())
    amount = fields.Field(attribute="amount", column_name="amount", widget=DecimalWidget())
    currency = text_field("currency")
    status = choice_field(Dues, "status")
    paid_on = date_field("paid_on")

    class Meta(RegisterResource.Meta):
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


class BoardTermResource(RegisterResource):
    """Board terms, keyed by the director's contact email and the start of the term."""

    required_columns = ("contact", "starts_on")

    contact = fields.Field(attribute="contact", column_name="contact", widget=ContactWidget())
    member = fields.Field(column_name="member", readonly=True)
    role = choice_field(BoardTerm, "role")
    starts_on = date_field("starts_on")
    ends_on = date_field("ends_on")

    class Meta(RegisterResource.Meta):
        model = BoardTerm
        import_id_fields = ["contact", "starts_on"]
        fields = ["contact", "member", "role", "starts_on", "ends_on"]

    def get_queryset(self):
        return BoardTerm.objects.select_related("contact", "contact__member")

    def dehydrate_member(self, term):
        # Read-only, so that a reader of the export sees whose director this is.
        return term.contact.member.slug


class RegisterImportExportMixin(ImportExportMixin):
    """Import and export in the admin, the register's way: CSV or XLSX, all or nothing.

    The preview (dry run) is the library's. What is added: the confirm step, which imports the
    file a second time, rolls back and says so if the data changed in between and a row now
    fails, instead of reporting a success."""

    formats = FORMATS

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _(
                    "Nothing was imported: the file no longer passes the checks, probably "
                    "because the register changed after the preview. Upload it again to see "
                    "the errors."
                ),
            )
            info = self.get_model_info()
            return HttpResponseRedirect(
                reverse(f"admin:{info[0]}_{info[1]}_import", current_app=self.admin_site.name)
            )
        return super().process_result(result, request)
