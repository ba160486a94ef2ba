"""Form widgets the portal's filter lists render many times."""

from django import forms
from django.utils.safestring import SafeString

from canto_portal.escaping import escape


class ListSelect(forms.Select):
    """A select whose options are written in Python, not through two template includes per
    option: a list's filters of forty partners or thirty countries are otherwise most of the
    time its page takes to render afresh. The same markup as Django's own templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            written = "".join(
                f'<option value="{escape(option["value"])}"{attributes(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
                for option in options
            )
            groups.append(
                f'<optgroup label="{escape(group_name)}">{written}</optgroup>'
                if group_name
                else written
            )
        return SafeString(
            f'<select name="{escape(widget["name"])}"{attributes(widget["attrs"])}>'
            f"{''.join(groups)}</select>"
        )


def attributes(attrs) -> str:
    """Attributes as django/forms/widgets/attrs.html writes them: in order, True as a bare
    name, False left out."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
