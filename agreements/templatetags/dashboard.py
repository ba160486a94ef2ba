"""The Secretariat's dashboard on the back office's index: counts from every sub-domain, each
linking to the change list that shows them (canto_portal/attention.py), as of today or of
the day the `on` parameter names."""

from django import template
from django.utils import timezone

import agreements.attention  # noqa: F401 (the providers must be registered to be asked)
from agreements.forms import AsOfForm
from agreements.models import ActionItem
from canto_portal.attention import SECRETARIAT, items_for

register = template.Library()


@register.inclusion_tag("admin/includes/dashboard.html", takes_context=True)
def secretariat_dashboard(context):
    request = context["request"]
    form = AsOfForm(request.GET)
    day = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    return {
        "items": items_for(SECRETARIAT, day),
        "as_of_form": form,
        "day": day,
        # The Board's action items this login owns, kept with the page per login.
        "own_action_items": list(ActionItem.objects.owned_by(login=request.user)),
        "today": timezone.localdate(),
    }
