from django import template

from canto_portal.people import person_name

register = template.Library()


@register.filter
def person(user):
    """The login's person as the admin names them too (canto_portal.people)."""
    return person_name(user) if user else "—"
