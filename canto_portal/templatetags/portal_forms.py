from django import template

register = template.Library()


@register.filter
def autofocused(field):
    """The field's widget with focus when the page opens: on a page whose only task is this
    form (logging in, a second factor), the first field is where a keyboard starts."""
    return field.as_widget(attrs={"autofocus": True})
