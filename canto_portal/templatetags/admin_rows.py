"""{% quick_result_list cl %}: the admin's {% result_list cl %}, rows written by
canto_portal.admin_lists, for change lists that use QuickRowsMixin."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from canto_portal.admin_lists import quick_result_list

register = template.Library()


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        "quick_result_list",
        parser,
        token,
        func=quick_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
