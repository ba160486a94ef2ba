from django import template

from canto_portal import choices

register = template.Library()


@register.filter
def choice_label(obj, name):
    """`{{ agreement|choice_label:"status" }}`: agreement.get_status_display, read from the
    field's labels in the active language rather than rebuilt for each row
    (canto_portal.choices)."""
    return choices.choice_label(obj, name)
