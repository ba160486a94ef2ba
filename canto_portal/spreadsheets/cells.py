"""What a cell may hold, and how it becomes a value.

Each widget turns a cell into a value, or raises ValueError with advice a person can follow;
the resource adds the row, column and value to the message."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import widgets

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
        self._accepted = {}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = plain_text(value).lower()
        if not text:
            return ""
        accepted = self.accepted()
        if text in accepted:
            return accepted[text]
        raise ValueError(
            _("Use one of: %(choices)s.") % {"choices": ", ".join(str(c) for c, _l in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)

    def accepted(self):
        """Each choice by its lower-cased value and label, the first choice winning a text
        two share. The labels are translated once per language, not once a row."""
        language = get_language()
        if language not in self._accepted:
            accepted = self._accepted[language] = {}
            for stored, label in self.choices:
                accepted.setdefault(str(stored).lower(), stored)
                accepted.setdefault(str(label).lower(), stored)
        return self._accepted[language]


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

    # Advice on what to write instead, added to the "not found" message.
    hint: str | Promise = ""

    def __init__(self, model, field, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.reset()

    def reset(self):
        self._cache = {}
        self._indexes = {}

    def lookup(self, text, row):
        return self.find(self.field, text)

    def find(self, field, text):
        """Up to two rows whose `field` is `text` in any case. The table is read once per
        import and indexed, rather than searched once per value: a case-insensitive search
        cannot use the key's index. A row the index lacks (written earlier in the same
        import) is searched for."""
        if field not in self._indexes:
            index = self._indexes[field] = {}
            for instance in self.model.objects.order_by("pk"):
                index.setdefault(str(getattr(instance, field)).lower(), []).append(instance)
        found = self._indexes[field].get(text.lower())
        if found:
            return found[:2]
        return list(self.model.objects.filter(**{f"{field}__iexact": text})[:2])

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
