"""Labels in the active language, looked up once per value and language rather than once a
row. Django's get_<field>_display() builds a dictionary of every choice's lazy label on each
call and then translates the one it needs, and django_countries translates a country's name
again, through the fallback translations, on each call: a list showing them on every row does
it a hundred times a page."""

from functools import cache
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django_countries import countries


@cache
def _labels(field: models.Field, language: str | None) -> dict[Any, Any]:
    return {
        make_hashable(value): force_str(label, strings_only=True)
        for value, label in make_hashable(field.flatchoices)
    }


def choice_label(obj: models.Model, name: str) -> Any:
    """What obj.get_<name>_display() gives: the label of the field's value, or the value
    itself when it is not one of the choices."""
    field = obj._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is a reverse relation, which has no choices.")
    value = getattr(obj, field.attname)
    return _labels(field, get_language()).get(
        make_hashable(value), force_str(value, strings_only=True)
    )


@cache
def _country_name(code: str, language: str | None) -> str:
    return countries.name(code)


def country_name(code: str) -> str:
    """countries.name(code): the country's name in the active language."""
    return _country_name(code, get_language())
