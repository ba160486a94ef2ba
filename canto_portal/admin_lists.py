"""Admin change lists written for speed: what Django renders through a template or a static
files lookup for every cell of every row is written here once per process or in Python."""

from functools import cache

from django.contrib.admin import helpers
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _


@cache
def _icon_url(value: bool | None) -> str:
    return static(f"admin/img/icon-{ {True: 'yes', False: 'no', None: 'unknown'}[value] }.svg")


def boolean_icon(value: bool | None) -> str:
    """The admin's yes/no icon, with the static file's address looked up once per process
    rather than once a row."""
    return format_html('<img src="{}" alt="{}">', _icon_url(value), value)


class QuickRowsMixin:
    """Each row's action checkbox written directly: Django renders it through the form
    renderer's templates, fifty template renders for a page of fifty rows."""

    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )
