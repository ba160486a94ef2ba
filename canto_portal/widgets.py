"""Form widgets the portal's filter lists render many times."""

from django import forms
from django.utils.html import format_html, format_html_join


class ListSelect(forms.Select):
    """A select whose options are written in Python, not through two template includes per
    option: a list's filters of forty partners or thirty countries are otherwise most of the
    time its page takes to render afresh. The same markup as Django's own templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], attributes(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
                if group_name
                else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            attributes(widget["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),
        )


def attributes(attrs):
    """Attributes as django/forms/widgets/attrs.html writes them: in order, True as a bare
    name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )
