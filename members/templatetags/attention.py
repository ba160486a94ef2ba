"""The member operator's attention panel at the top of the dashboard."""

from django import template
from django.utils import timezone

from canto_portal.attention import MEMBER, items_for
from canto_portal.models import AuditAction, AuditEvent
from members.attention import Visit

register = template.Library()


@register.inclusion_tag("includes/attention_panel.html", takes_context=True)
def member_attention(context, member):
    """Items for `member`, briefings counted since the login's previous visit: the login
    before the one that opened this session, as the audit trail records them."""
    logins = AuditEvent.objects.filter(
        actor=context["request"].user, action=AuditAction.LOGIN
    ).order_by("-at")
    previous = logins.values_list("at", flat=True)[1:2]
    visit = Visit(member=member, last_visit=next(iter(previous), None), today=timezone.localdate())
    return {"items": items_for(MEMBER, visit), "heading_id": "attention-heading"}
