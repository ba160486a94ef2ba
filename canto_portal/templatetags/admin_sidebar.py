from django import template

from canto_portal import admin_sidebar

register = template.Library()


@register.simple_tag(takes_context=True)
def quick_app_list(context, apps, show_changelinks=False):
    """`{% include 'admin/app_list.html' with app_list=apps show_changelinks=… %}`, written by
    canto_portal.admin_sidebar."""
    return admin_sidebar.app_list(
        apps or [],
        getattr(context.get("request"), "path", ""),
        show_changelinks=show_changelinks,
    )
