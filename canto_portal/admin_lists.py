"""Admin change lists written for speed: what Django renders through a template, looks up or
works out again for every cell of every row is written here once per column, once per
process, or in Python."""

import dataclasses
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Any

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import display_for_field, display_for_value
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.templatetags.static import static
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from canto_portal.escaping import escape


@cache
def _icon_url(value: bool | None) -> str:
    return static(f"admin/img/icon-{ {True: 'yes', False: 'no', None: 'unknown'}[value] }.svg")


def boolean_icon(value: bool | None) -> str:
    """The admin's yes/no icon, written once per process rather than once a row."""
    # By type as well: 1 is shown as "1", True as "True".
    return _boolean_icon(type(value).__name__, value)


@cache
def _boolean_icon(_type: str, value: bool | None) -> str:
    return format_html('<img src="{}" alt="{}">', _icon_url(value), value)


class QuickRowsMixin:
    """A change list whose rows are written by `quick_results`, and each row's action
    checkbox directly: Django renders the checkbox through the form renderer's templates,
    fifty template renders for a page of fifty rows."""

    change_list_template = "admin/change_list_quick_rows.html"

    def action_checkbox(self, obj):
        label = _("Select this object for an action - {}").format(escape(str(obj)))
        return SafeString(
            f'<input type="checkbox" name="{escape(helpers.ACTION_CHECKBOX_NAME)}" '
            f'value="{escape(obj.pk)}" class="action-select" aria-label="{label}">'
        )


@dataclass
class Column:
    """One column of a change list, with what Django's items_for_result works out again for
    each cell worked out once: the field or admin callable, the empty value, the classes,
    whether it links to the object, and a field's choice labels. What a value of a plain
    type (a status, a date, a city) shows is written once for the page too."""

    name: str
    classes: list[str]
    empty: str
    tag: str | None  # "th" or "td" when the cell links to the object
    url: Callable[[models.Model], str]
    value: Callable[[models.Model], Any]
    show: Callable[[Any], Any]
    nowrap_by_value: bool
    written: dict[tuple[type, Any], str] = dataclasses.field(default_factory=dict)

    def cell(self, cl: ChangeList, obj: models.Model) -> str:
        try:
            value = self.value(obj)
        except ObjectDoesNotExist:
            shown, classes = escape(self.empty), [f"field-{self.name}"]
        else:
            shown, classes = self.write(value), self.classes
            if self.nowrap_by_value and isinstance(value, (datetime.date, datetime.time)):
                classes = [*classes, "nowrap"]
        attributes = f' class="{" ".join(classes)}"'
        if self.tag is None:
            return SafeString(f"<td{attributes}>{shown}</td>")
        try:
            url = self.url(obj)
        except NoReverseMatch:
            content = shown
        else:
            popup = ""
            if cl.is_popup:
                opener = obj.serializable_value(str(cl.to_field) if cl.to_field else cl.pk_attname)
                popup = f' data-popup-opener="{escape(opener)}"'
            content = f'<a href="{escape(url)}"{popup}>{shown}</a>'
        return SafeString(f"<{self.tag}{attributes}>{content}</{self.tag}>")

    def write(self, value: Any) -> str:
        """What `value` shows, escaped. Values of these types that are equal show the same;
        a decimal does not (1.0 and 1.00), nor, in general, an object."""
        if type(value) not in PLAIN_TYPES:
            return escape(self.show(value))
        key = (type(value), value)
        if key not in self.written:
            self.written[key] = escape(self.show(value))
        return self.written[key]


PLAIN_TYPES = {str, int, bool, datetime.date, type(None)}


# Stands for the primary key in an address worked out once for every row of a page.
PRIMARY_KEY = "__primary_key__"


def object_url(cl: ChangeList) -> Callable[[models.Model], str]:
    """Each object's change page, with the list's filters preserved, as items_for_result
    links it. For integer primary keys, which an address shows as they are, the address is
    worked out once for the page and the key put in; other keys are worked out row by row."""

    def each(obj: models.Model) -> str:
        return add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, cl.url_for_result(obj)
        )

    if not isinstance(cl.lookup_opts.pk, models.IntegerField):
        return each
    try:
        address = each(SimpleNamespace(**{cl.pk_attname: PRIMARY_KEY}))  # type: ignore[arg-type]
    except (NoReverseMatch, AttributeError):
        # No change page, or a change list that builds its addresses from more than the key.
        return each
    # The key comes first in the path, before any query string that preserves the filters.
    before, found, after = address.partition(PRIMARY_KEY)
    if not found:
        return each
    return lambda obj: f"{before}{getattr(obj, cl.pk_attname)}{after}"


def columns(cl: ChangeList) -> list[Column] | None:
    """The change list's columns as items_for_result reads them; None when one is of a kind
    it does not know (a property, a lookup through relations, an editable field), which
    Django then writes itself."""
    empty = str(cl.model_admin.get_empty_value_display())
    url = object_url(cl)
    found = []
    first = True
    for name in cl.list_display:
        if not isinstance(name, str) or LOOKUP_SEP in name:
            return None
        if cl.list_display_links is None:
            links = False
        else:
            links = (first and not cl.list_display_links) or name in cl.list_display_links
        tag = ("th" if first else "td") if links else None
        first = first and not links
        try:
            field = cl.lookup_opts.get_field(name)
        except FieldDoesNotExist:
            column = admin_column(cl, name, empty, tag, url)
        else:
            column = field_column(field, name, empty, tag, url, links)
        if column is None:
            return None
        found.append(column)
    return found


def admin_column(cl, name, empty, tag, url) -> Column | None:
    """A column the admin computes with one of its own methods, such as a boolean icon."""
    if not hasattr(cl.model_admin, name) or name == "__str__":
        return None
    method = getattr(cl.model_admin, name)
    page_empty, empty = empty, getattr(method, "empty_value_display", empty)
    boolean = getattr(method, "boolean", False)
    return Column(
        name=name,
        classes=["action-checkbox"] if name == "action_checkbox" else [f"field-{name}"],
        empty=page_empty,
        tag=tag,
        url=url,
        value=method,
        show=lambda value: display_for_value(value, empty, boolean),
        nowrap_by_value=True,
    )


def field_column(field, name, empty, tag, url, links) -> Column | None:
    """A column showing one of the model's fields; a field with choices shows their labels,
    read from one dictionary for the page rather than one built for each cell."""
    if field.is_relation and not (field.many_to_one and field.related_model and field.name == name):
        # A generic or reverse relation, or a foreign key's column (`member_id`): the admin
        # shows these as attributes.
        return None
    classes = [f"field-{name}"]
    if field.auto_created:
        show = lambda value: display_for_value(value, empty)  # noqa: E731
        return Column(name, classes, empty, tag, url, attribute(name), show, True)
    if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
        classes.append("nowrap")
    if isinstance(field.remote_field, models.ManyToOneRel):
        show = lambda value: empty if value is None else value  # noqa: E731
    elif getattr(field, "flatchoices", None) and field.name != "password":
        try:
            labels = {value: str(label) for value, label in field.flatchoices}
        except TypeError:
            return None
        show = lambda value: labels.get(value, empty)  # noqa: E731
    else:
        show = lambda value: display_for_field(value, field, empty, avoid_link=links)  # noqa: E731
    return Column(name, classes, empty, tag, url, attribute(name), show, False)


def attribute(name: str) -> Callable[[models.Model], Any]:
    return lambda obj: getattr(obj, name)


def quick_results(cl: ChangeList) -> Iterator[ResultList]:
    """The rows as Django's results(cl) writes them."""
    found = None if cl.formset else columns(cl)
    if found is None:
        yield from results(cl)
        return
    for obj in cl.result_list:
        yield ResultList(None, [column.cell(cl, obj) for column in found])


def quick_result_list(cl: ChangeList) -> dict:
    """Django's result_list context (its result_list tag), the rows written by quick_results."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(quick_results(cl)),
    }
