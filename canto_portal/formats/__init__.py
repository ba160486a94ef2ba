"""Date and number formats per language (FORMAT_MODULE_PATH), one module per language."""

from django.utils.formats import date_format


def short_date(day) -> str:
    """A date as tables and messages write it in the active language (SHORT_DATE_FORMAT)."""
    return date_format(day, "SHORT_DATE_FORMAT")
