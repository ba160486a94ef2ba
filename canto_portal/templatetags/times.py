from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def datetime_attribute(value):
    """A date and time for <time datetime>, to the second, in the current time zone: Django's
    "c" format writes microseconds, and HTML allows at most three digits of a second."""
    return value.replace(microsecond=0).isoformat() if value else ""
