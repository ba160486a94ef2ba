"""HTML escaping for markup written in Python many times a page."""

import html
from typing import Any

from django.utils.functional import Promise


def escape(text: Any) -> str:
    """django.utils.html.conditional_escape, without the check for lazy arguments that it,
    and format_html around it, make on each call: a change list's rows or a filter form's
    options call it hundreds of times a page."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))
